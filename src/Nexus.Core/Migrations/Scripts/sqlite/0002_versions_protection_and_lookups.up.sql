-- Migration 0002: versions, chunk protection and lookups
-- Description: Record versions, a chunk protection time, one attribute per key, and the indexes
-- the store cmdlets need (unreferenced chunks).

ALTER TABLE file_paths ADD COLUMN current_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE content_chunks ADD COLUMN protected_until TEXT;

-- One value per key and file; this index also serves every lookup by path_id.
CREATE UNIQUE INDEX uq_file_metadata_path_key ON file_metadata (path_id, key);
DROP INDEX idx_file_metadata_path_id;

-- Garbage collection only ever looks for unreferenced chunks.
CREATE INDEX idx_content_chunks_unreferenced ON content_chunks (protected_until) WHERE ref_count = 0;
