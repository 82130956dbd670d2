-- The contact store: records in commit order (the log's leaves), the log's stored subtree hashes, its head and
-- every checkpoint it signed, the accounts that may use it, and the hash-chained log of who read what.
-- Records are never updated or deleted in place; the only change a row may see is a retention tombstone.

CREATE TABLE contact_records (
  idx           bigint PRIMARY KEY CHECK (idx >= 0),  -- leaf index: the commit order
  id            text NOT NULL UNIQUE,                 -- public id
  content       text NOT NULL,                        -- the leaf data: RFC 8785 JSON of the record with its salt
  leaf_hash     bytea NOT NULL,                       -- SHA-256(0x00 || content) as committed; kept by a tombstone
  tombstoned_at timestamptz,                          -- retention: content replaced, leaf kept
  -- copies of fields inside content, for queries; `log verify` checks they agree with it
  jurisdiction  text NOT NULL,
  agency        text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  recorded_by   text NOT NULL,
  deviation     boolean NOT NULL,
  corrects      text
);
CREATE INDEX contact_records_jurisdiction ON contact_records (jurisdiction, occurred_at);
CREATE INDEX contact_records_recorded_by ON contact_records (recorded_by, occurred_at);
CREATE INDEX contact_records_occurred ON contact_records (occurred_at);

-- The log's stored hashes: one per complete subtree (level 0: the leaf hashes), never changed once written.
CREATE TABLE log_nodes (
  level smallint NOT NULL CHECK (level >= 0),
  idx   bigint NOT NULL CHECK (idx >= 0),
  hash  bytea NOT NULL,
  PRIMARY KEY (level, idx)
);

-- The one head row: its row lock is what serialises appends from every process.
CREATE TABLE log_head (
  id         smallint PRIMARY KEY CHECK (id = 1),
  size       bigint NOT NULL,
  root       bytea NOT NULL,
  checkpoint text NOT NULL
);

-- Every checkpoint handed out, so `log verify` can check the recomputed tree against each of them.
CREATE TABLE log_checkpoints (
  size       bigint PRIMARY KEY,
  root       bytea NOT NULL,
  note       text NOT NULL,
  signed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('staff', 'supervisor', 'auditor', 'admin')),
  jurisdiction text NOT NULL,
  agency       text,
  token_hash   bytea NOT NULL UNIQUE,  -- SHA-256 of the token; the token itself is shown once and never stored
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);

-- The access log's head: its row lock orders entries from every process.
CREATE TABLE access_head (
  id   smallint PRIMARY KEY CHECK (id = 1),
  seq  bigint NOT NULL,
  hash bytea NOT NULL
);

-- Who read records, when, with which query; each entry's hash covers the previous one.
CREATE TABLE access_log (
  seq       bigint PRIMARY KEY CHECK (seq >= 0),
  at        timestamptz NOT NULL,
  user_id   text NOT NULL,
  action    text NOT NULL,
  query     text NOT NULL,  -- RFC 8785 JSON of what was asked
  results   integer NOT NULL,
  prev_hash bytea NOT NULL,
  hash      bytea NOT NULL
);
