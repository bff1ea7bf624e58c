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
];
