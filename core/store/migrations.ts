// Schema migrations, applied in order; PRAGMA user_version records how many have run.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE endpoints (
    name        TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    settings    TEXT NOT NULL
  ) STRICT;
  CREATE TABLE rules (
    endpoint    TEXT NOT NULL REFERENCES endpoints(name) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    id          TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (endpoint, position)
  ) STRICT;
  CREATE UNIQUE INDEX rules_by_id ON rules (endpoint, id);
  `,
  `
  CREATE TABLE journal (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL,
    endpoint    TEXT NOT NULL,
    date        INTEGER NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    status      INTEGER NOT NULL,
    time_taken  INTEGER NOT NULL,
    rule_id     TEXT,
    behavior    TEXT NOT NULL,
    is_multipart INTEGER NOT NULL,
    request_body  BLOB NOT NULL,
    response_body BLOB NOT NULL,
    meta        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX journal_by_endpoint ON journal (endpoint, seq);
  CREATE INDEX journal_by_id ON journal (endpoint, id);
  CREATE INDEX journal_by_date ON journal (date);
  CREATE TABLE journal_files (
    request_seq  INTEGER NOT NULL REFERENCES journal(seq) ON DELETE CASCADE,
    component    TEXT NOT NULL,
    field_name   TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes        BLOB NOT NULL
  ) STRICT;
  CREATE INDEX journal_files_by_request ON journal_files (request_seq);
  `,
  `
  CREATE TABLE state_items (
    endpoint      TEXT NOT NULL REFERENCES endpoints(name) ON DELETE CASCADE,
    type          TEXT NOT NULL,
    key           TEXT NOT NULL,
    value         TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    PRIMARY KEY (endpoint, type, key)
  ) STRICT;
  `,
];
