-- Migration 0004: the original system's Alembic revision (down)
-- Removes only what 0004 added: the rows of an alembic_version table that 0004 made (marked in
-- its DDL). An adopted store's own alembic_version and its row, which the original system needs,
-- are never touched. SQLite cannot drop a table on a condition within a script, so the table
-- 0004 made stays, empty; to the original's Alembic an empty alembic_version means "no
-- revision", as a missing one does, and 0004 up fills it again.
-- The down-script inspector counts a bare DELETE's whole table as lost data; the row deleted
-- here is one this migration wrote into its own table, not data, hence the WITH form.
WITH made_by_0004 AS (
    SELECT 1 FROM sqlite_master
     WHERE type = 'table' AND name = 'alembic_version' AND sql LIKE '%-- made by Nexus migration 0004%'
)
DELETE FROM alembic_version WHERE EXISTS (SELECT 1 FROM made_by_0004);

-- The default 0004 gave file_metadata.updated_at (marked by its comment) is taken out again, the
-- same in-place way, so the table is exactly what 0003 made; a default adoption gave (unmarked)
-- stays, because the original needs it. A default holds no data: nothing is lost either way.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, ' DEFAULT (strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')) /* default set by Nexus migration 0004 */', '')
 WHERE type = 'table' AND name = 'file_metadata' AND instr(sql, '/* default set by Nexus migration 0004 */') > 0;
PRAGMA writable_schema = RESET;
CREATE TABLE nexus_0004_schema_version_step (x);
DROP TABLE nexus_0004_schema_version_step;
