-- Full-text search over product titles and descriptions. unicode61 with remove_diacritics 2
-- makes "developpement" match "Développement"; prefix indexes serve as-you-type queries.
CREATE VIRTUAL TABLE `products_fts` USING fts5(
  title, description,
  content='products', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2',
  prefix='2 3'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_insert` AFTER INSERT ON `products` BEGIN
  INSERT INTO products_fts(rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_delete` AFTER DELETE ON `products` BEGIN
  INSERT INTO products_fts(products_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_update` AFTER UPDATE OF title, description ON `products` BEGIN
  INSERT INTO products_fts(products_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
  INSERT INTO products_fts(rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;
