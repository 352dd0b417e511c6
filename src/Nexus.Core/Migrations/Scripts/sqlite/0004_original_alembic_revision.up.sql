-- Migration 0004: the original system's Alembic revision
-- Description: Gives the store the original Nexus system's alembic_version row at its head
-- 58d58578fce0, so that the original's `alembic upgrade head` on a store this module made is a
-- no-op (instead of "table content_chunks already exists") and `alembic current` names its
-- revision. An adopted store already has the table and its row, and both are left as they are.

-- Made only where the table is missing; the comment inside marks it as this migration's own
-- (SQLite keeps it in sqlite_master.sql), so the down script can tell it from the original's.
CREATE TABLE IF NOT EXISTS alembic_version (
    -- made by Nexus migration 0004
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version (version_num) SELECT '58d58578fce0' WHERE NOT EXISTS (SELECT 1 FROM alembic_version);

-- file_metadata.updated_at gets a default (the time of the insert, in the form the module writes),
-- so that the original's set_file_metadata, which leaves the column out, works on a store this
-- module made (adoption gives an adopted store the same default; its table already has one and is
-- left as it is). SQLite cannot add a default with ALTER TABLE, and a default changes no stored
-- row, so this is SQLite's documented in-place edit for changes that do not touch the stored
-- content (ALTER TABLE, "Making Other Kinds Of Table Schema Changes"): the column's text in the
-- table's CREATE statement is edited, instead of rebuilding file_metadata and its four indexes.
-- It runs inside the step's savepoint (undone with it), RESET makes this connection read the new
-- schema, and a table made and dropped moves the schema version on, so every other connection
-- reads it again. The comment marks the default as this migration's, for the down script.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, 'updated_at  TEXT NOT NULL', 'updated_at  TEXT NOT NULL DEFAULT (strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')) /* default set by Nexus migration 0004 */')
 WHERE type = 'table' AND name = 'file_metadata'
   AND instr(sql, 'updated_at  TEXT NOT NULL') > 0 AND instr(upper(sql), 'DEFAULT') = 0;
PRAGMA writable_schema = RESET;
CREATE TABLE nexus_0004_schema_version_step (x);
DROP TABLE nexus_0004_schema_version_step;
