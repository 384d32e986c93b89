-- Full-text search over messages and notes (src/search/), kept by the database itself: triggers on both tables
-- index every row written, re-index a changed text and take a deleted row out, so no write path (the batched
-- writer, erasure, the retention sweep, a cascade) can forget it.
--
-- `search_index` is contentless (content=''): it holds the index only, not a third copy of the text. Rows are taken
-- out with FTS5's 'delete' command, which the triggers give the old text, and `secure-delete` makes that remove the
-- row's entries from the index's segments at once rather than leave them to a later merge (RET-4): the
-- `secure_delete` pragma zeroes freed space, but cannot reach entries the index itself still holds. A
-- contentless-delete table (contentless_delete=1) was measured to keep a deleted row's words in its segments,
-- only marking the row with a tombstone, so it is not used.
--
-- `search_documents` gives each indexed message or note the integer rowid FTS5 needs, as an INTEGER PRIMARY KEY,
-- which VACUUM (and VACUUM INTO) never renumbers, unlike the implicit rowid of `messages`; its unique index on the
-- row's id lets a delete find its index entry without scanning, and its conversation lets a search group hits.
CREATE VIRTUAL TABLE `search_index` USING fts5(`body`, content='', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `search_index` (`search_index`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
CREATE TABLE `search_documents` (
	`id` integer PRIMARY KEY NOT NULL,
	`source_id` text NOT NULL,
	`kind` text NOT NULL,
	`conversation_id` text NOT NULL,
	CONSTRAINT "search_documents_kind" CHECK(`kind` IN ('message', 'note'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_documents_source` ON `search_documents` (`source_id`, `kind`);
--> statement-breakpoint
INSERT INTO `search_documents` (`source_id`, `kind`, `conversation_id`)
  SELECT `id`, 'message', `conversation_id` FROM `messages` ORDER BY `created_at`, `rowid`;
--> statement-breakpoint
INSERT INTO `search_documents` (`source_id`, `kind`, `conversation_id`)
  SELECT `id`, 'note', `conversation_id` FROM `notes` ORDER BY `created_at`, `id`;
--> statement-breakpoint
INSERT INTO `search_index` (`rowid`, `body`)
  SELECT d.`id`, m.`body` FROM `search_documents` d JOIN `messages` m ON m.`id` = d.`source_id` WHERE d.`kind` = 'message';
--> statement-breakpoint
INSERT INTO `search_index` (`rowid`, `body`)
  SELECT d.`id`, n.`body` FROM `search_documents` d JOIN `notes` n ON n.`id` = d.`source_id` WHERE d.`kind` = 'note';
--> statement-breakpoint
CREATE TRIGGER `messages_search_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO `search_documents` (`source_id`, `kind`, `conversation_id`) VALUES (new.`id`, 'message', new.`conversation_id`);
  INSERT INTO `search_index` (`rowid`, `body`) VALUES (last_insert_rowid(), new.`body`);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_search_update` AFTER UPDATE OF `body` ON `messages` BEGIN
  INSERT INTO `search_index` (`search_index`, `rowid`, `body`)
    SELECT 'delete', `id`, old.`body` FROM `search_documents` WHERE `source_id` = old.`id` AND `kind` = 'message';
  INSERT INTO `search_index` (`rowid`, `body`) SELECT `id`, new.`body` FROM `search_documents` WHERE `source_id` = old.`id` AND `kind` = 'message';
END;
--> statement-breakpoint
CREATE TRIGGER `messages_search_delete` AFTER DELETE ON `messages` BEGIN
  INSERT INTO `search_index` (`search_index`, `rowid`, `body`)
    SELECT 'delete', `id`, old.`body` FROM `search_documents` WHERE `source_id` = old.`id` AND `kind` = 'message';
  DELETE FROM `search_documents` WHERE `source_id` = old.`id` AND `kind` = 'message';
END;
--> statement-breakpoint
CREATE TRIGGER `notes_search_insert` AFTER INSERT ON `notes` BEGIN
  INSERT INTO `search_documents` (`source_id`, `kind`, `conversation_id`) VALUES (new.`id`, 'note', new.`conversation_id`);
  INSERT INTO `search_index` (`rowid`, `body`) VALUES (last_insert_rowid(), new.`body`);
END;
--> statement-breakpoint
CREATE TRIGGER `notes_search_update` AFTER UPDATE OF `body` ON `notes` BEGIN
  INSERT INTO `search_index` (`search_index`, `rowid`, `body`)
    SELECT 'delete', `id`, old.`body` FROM `search_documents` WHERE `source_id` = old.`id` AND `kind` = 'note';
  INSERT INTO `search_index` (`rowid`, `body`) SELECT `id`, new.`body` FROM `search_documents` WHERE `source_id` = old.`id` AND `kind` = 'note';
END;
--> statement-breakpoint
CREATE TRIGGER `notes_search_delete` AFTER DELETE ON `notes` BEGIN
  INSERT INTO `search_index` (`search_index`, `rowid`, `body`)
    SELECT 'delete', `id`, old.`body` FROM `search_documents` WHERE `source_id` = old.`id` AND `kind` = 'note';
  DELETE FROM `search_documents` WHERE `source_id` = old.`id` AND `kind` = 'note';
END;
