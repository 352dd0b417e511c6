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
