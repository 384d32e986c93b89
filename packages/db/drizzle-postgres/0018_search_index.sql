-- Full-text search over messages and notes (src/search/), kept by the database itself: a GIN index on an expression
-- of each table's text, which PostgreSQL updates with every insert, update and delete, so no write path can forget
-- it. An expression index rather than a stored tsvector column: the words are not kept a second time in the table.
--
-- `search_fold` takes diacritics off (é → e, ü → u) by decomposing the text (NFD) and dropping the combining marks,
-- so that a search finds a word however its accents were typed, as SQLite's `remove_diacritics 2` does. It is
-- applied to the text and to each search, so the two always agree.
-- `search_vector` parses the folded text with the `simple` configuration: chats are in every language, often mixed
-- in one conversation, and no one language's stemming or stop words would suit them all, so words are only
-- lower-cased, never stemmed or dropped. Punctuation inside a token (an email address, a URL, a version, an order
-- number such as A-1234) is made a space first, so that its parts are words of their own, as SQLite's tokenizer
-- makes them. Both functions are IMMUTABLE, as an index expression must be, and inlined into the index and the
-- search alike; `search_vector` repeats `search_fold` rather than call it, since a restore (pg_dump's, with an
-- empty search_path) rebuilds the index before it could find an unqualified function.
CREATE FUNCTION "search_fold"(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT regexp_replace(normalize($1, NFD), '[\u0300-\u036f]', '', 'g') $$;
--> statement-breakpoint
CREATE FUNCTION "search_vector"(text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_tsvector('simple'::regconfig,
    translate(regexp_replace(normalize($1, NFD), '[\u0300-\u036f]', '', 'g'), '@/.:+-_', '       ')) $$;
--> statement-breakpoint
CREATE INDEX "messages_search" ON "messages" USING gin (search_vector("body"));
--> statement-breakpoint
CREATE INDEX "notes_search" ON "notes" USING gin (search_vector("body"));
