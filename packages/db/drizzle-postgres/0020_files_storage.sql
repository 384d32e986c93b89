-- A file's bytes are kept as they were written, out of line and uncompressed: images and PDFs are compressed
-- already, and what erasure must leave no trace of is then findable byte for byte in the residue tests.
ALTER TABLE "files" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "files" ALTER COLUMN "thumbnail" SET STORAGE EXTERNAL;
