-- Migration 0004: the original system's Alembic revision
-- Description: Gives the store the original Nexus system's alembic_version row at its head
-- 58d58578fce0, so that the original's `alembic upgrade head` on a store this module made is a
-- no-op (instead of "relation content_chunks already exists") and `alembic current` names its
-- revision. An adopted store already has the table and its row, and both are left as they are.

-- Made only where the table is missing, and marked by its comment as this migration's own so
-- that the down script drops it and never the original's.
DO $$
BEGIN
    IF to_regclass('alembic_version') IS NULL THEN
        CREATE TABLE alembic_version (
            version_num varchar(32) NOT NULL,
            CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
        );
        COMMENT ON TABLE alembic_version IS 'made by Nexus migration 0004';
    END IF;
END
$$;
INSERT INTO alembic_version (version_num) SELECT '58d58578fce0' WHERE NOT EXISTS (SELECT 1 FROM alembic_version);

-- file_metadata.updated_at gets the default adoption gives an adopted store (the time of the
-- insert), so that the original's set_file_metadata, which leaves the column out, works on a
-- store this module made. A column that already has a default (an adopted store) is left as it
-- is; the column comment marks the default as this migration's, for the down script.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                    WHERE d.adrelid = to_regclass('file_metadata') AND a.attname = 'updated_at') THEN
        ALTER TABLE file_metadata ALTER COLUMN updated_at SET DEFAULT now();
        COMMENT ON COLUMN file_metadata.updated_at IS 'default set by Nexus migration 0004';
    END IF;
END
$$;
