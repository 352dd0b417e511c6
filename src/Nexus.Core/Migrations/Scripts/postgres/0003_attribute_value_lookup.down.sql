-- Migration 0003: attribute value lookup (down)
COMMENT ON INDEX idx_file_metadata_value_gin IS NULL;
