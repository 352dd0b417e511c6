-- Migration 0003: attribute value lookup
-- Description: Indexes that let Get-NexusMetadata -Attribute find a value without reading every
-- attribute row of its key. A value in canonical scalar form (a string or integer exactly as
-- json_quote writes it, true, false or null; at most 512 characters, so
-- that long values stay out of the index; never text that is not JSON, which an adopted store
-- may hold) is found by equality on (key, value); every other
-- value (objects, arrays, decimals, non-canonical text an older writer left) is indexed by key
-- only and checked by the containment function.

CREATE INDEX idx_file_metadata_key_scalar ON file_metadata (key, value)
    WHERE CASE WHEN length(value) <= 512 AND json_valid(value) THEN value IN ('true', 'false', 'null') OR (json_type(value) IN ('text', 'integer') AND value = json_quote(json_extract(value, '$'))) ELSE 0 END;
CREATE INDEX idx_file_metadata_key_other ON file_metadata (key)
    WHERE NOT (CASE WHEN length(value) <= 512 AND json_valid(value) THEN value IN ('true', 'false', 'null') OR (json_type(value) IN ('text', 'integer') AND value = json_quote(json_extract(value, '$'))) ELSE 0 END);
