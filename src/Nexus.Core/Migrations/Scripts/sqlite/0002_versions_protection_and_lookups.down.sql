-- Migration 0002: versions, chunk protection and lookups (down)
DROP INDEX idx_content_chunks_unreferenced;
CREATE INDEX idx_file_metadata_path_id ON file_metadata (path_id);
DROP INDEX uq_file_metadata_path_key;
ALTER TABLE content_chunks DROP COLUMN protected_until;
ALTER TABLE file_paths DROP COLUMN current_version;
