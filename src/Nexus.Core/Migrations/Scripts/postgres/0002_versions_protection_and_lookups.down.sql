-- Migration 0002: versions, chunk protection and lookups (down)
DROP INDEX idx_content_chunks_unreferenced;
DROP INDEX idx_file_paths_tenant_path_c;
CREATE INDEX idx_file_metadata_path_id ON file_metadata (path_id);
ALTER TABLE file_metadata DROP CONSTRAINT uq_file_metadata_path_key;
ALTER TABLE content_chunks DROP COLUMN protected_until;
ALTER TABLE file_paths DROP COLUMN current_version;
