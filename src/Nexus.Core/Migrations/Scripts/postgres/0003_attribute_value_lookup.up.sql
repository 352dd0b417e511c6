-- Migration 0003: attribute value lookup
-- Description: A GIN index on each attribute as the object {key: value}, so that Get-NexusMetadata
-- -Attribute finds key and value together: the index on value alone (0001) finds every row whose
-- value matches under any key, however many, and only then filters by key. value::jsonb is no cast
-- on a jsonb column and reads the JSON text of a store adopted with -KeepOriginalTypes.

CREATE INDEX idx_file_metadata_key_value_gin ON file_metadata USING gin (jsonb_set('{}'::jsonb, ARRAY[key::text], value::jsonb) jsonb_path_ops);
