-- Migration 0002: versions, chunk protection and lookups
-- Description: Record versions, a chunk protection time, one attribute per key, and the indexes
-- the store cmdlets need (ordinal prefix scans, unreferenced chunks).

ALTER TABLE file_paths ADD COLUMN current_version integer NOT NULL DEFAULT 1;
ALTER TABLE content_chunks ADD COLUMN protected_until timestamptz;

-- One value per key and file; the constraint's index also serves every lookup by path_id.
ALTER TABLE file_metadata ADD CONSTRAINT uq_file_metadata_path_key UNIQUE (path_id, key);
DROP INDEX idx_file_metadata_path_id;

-- Prefix listings sort and range-scan in byte order whatever the database's collation.
CREATE INDEX idx_file_paths_tenant_path_c ON file_paths (tenant_id, virtual_path COLLATE "C");

-- Garbage collection only ever looks for unreferenced chunks.
CREATE INDEX idx_content_chunks_unreferenced ON content_chunks (protected_until) WHERE ref_count = 0;
