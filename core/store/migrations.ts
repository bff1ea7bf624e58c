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
  `
  CREATE TABLE data_structures (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint    TEXT NOT NULL REFERENCES endpoints(name) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    schema      TEXT NOT NULL
  ) STRICT;
  CREATE INDEX data_structures_by_endpoint ON data_structures (endpoint, name);
  CREATE TABLE data_stores (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint    TEXT NOT NULL REFERENCES endpoints(name) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    max_size_mb INTEGER NOT NULL,
    datastructure_id INTEGER REFERENCES data_structures(id),
    crud_path   TEXT,
    records     INTEGER NOT NULL DEFAULT 0,
    size        INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX data_stores_by_endpoint ON data_stores (endpoint, name);
  CREATE UNIQUE INDEX data_stores_by_crud_path ON data_stores (endpoint, crud_path) WHERE crud_path IS NOT NULL;
  CREATE TABLE data_records (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id    INTEGER NOT NULL REFERENCES data_stores(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    data        TEXT NOT NULL,
    size        INTEGER NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX data_records_by_key ON data_records (store_id, key);
  CREATE INDEX data_records_by_seq ON data_records (store_id, seq);
  -- records and size of a store are kept by the database itself, in the transaction of each write
  CREATE TRIGGER data_records_inserted AFTER INSERT ON data_records BEGIN
    UPDATE data_stores SET records = records + 1, size = size + NEW.size WHERE id = NEW.store_id;
  END;
  CREATE TRIGGER data_records_deleted AFTER DELETE ON data_records BEGIN
    UPDATE data_stores SET records = records - 1, size = size - OLD.size WHERE id = OLD.store_id;
  END;
  CREATE TRIGGER data_records_updated AFTER UPDATE OF size ON data_records BEGIN
    UPDATE data_stores SET size = size - OLD.size + NEW.size WHERE id = NEW.store_id;
  END;
  `,
  // 5: documents an endpoint holds for its plugins (a GraphQL SDL, a WSDL, protos), by the plugin's path
  `
  CREATE TABLE endpoint_documents (
    endpoint    TEXT NOT NULL REFERENCES endpoints(name) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    content     TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (endpoint, path)
  ) STRICT;
  `,
  // 6: uploaded blobs; their bytes are files under <dataDir>/blobs/<endpoint>/<path>
  `
  CREATE TABLE blobs (
    endpoint     TEXT NOT NULL REFERENCES endpoints(name) ON DELETE CASCADE,
    path         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (endpoint, path)
  ) STRICT;
  `,
];
