-- Migration 0003: attribute value lookup
-- Description: Attribute searches use the existing GIN index on value (jsonb_path_ops, from 0001);
-- this revision only documents it, so that both dialects reach the same schema revision (SQLite
-- gains its value lookup indexes here).

COMMENT ON INDEX idx_file_metadata_value_gin IS 'Get-NexusMetadata -Attribute: key = @k AND value @> @v (top-level and nested containment)';
