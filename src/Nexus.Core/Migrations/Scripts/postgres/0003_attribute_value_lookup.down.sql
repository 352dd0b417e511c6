-- Migration 0003: attribute value lookup (down)
DROP INDEX idx_file_metadata_key_value_gin;
