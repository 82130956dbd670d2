-- The tree's right edge (the hashes of rootNodes(size), left to right) kept in the head row, so an append reads the
-- head, its lock and everything it hashes onto in one statement. Empty for a log created before this column: the
-- next append reads the edge from log_nodes once and stores it.
ALTER TABLE log_head ADD COLUMN edge bytea[] NOT NULL DEFAULT '{}';
