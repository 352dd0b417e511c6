-- Migration 0001: initial schema
-- Description: The original Nexus store's three tables (file paths, attributes, content chunks).
-- SQLite: ids are application-made 36-character TEXT, attribute values JSON text checked with
-- json_valid, timestamps ISO-8601 UTC text.

CREATE TABLE file_paths (
    path_id       TEXT    NOT NULL CONSTRAINT pk_file_paths PRIMARY KEY,
    tenant_id     TEXT    NOT NULL,
    virtual_path  TEXT    NOT NULL,
    backend_id    TEXT    NOT NULL,
    physical_path TEXT    NOT NULL,
    file_type     TEXT,
    size_bytes    INTEGER NOT NULL DEFAULT 0,
    content_hash  TEXT,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    deleted_at    TEXT,
    CONSTRAINT uq_file_paths_tenant_virtual_path UNIQUE (tenant_id, virtual_path),
    CONSTRAINT ck_file_paths_size_bytes CHECK (size_bytes >= 0)
);
CREATE INDEX idx_file_paths_backend_id ON file_paths (backend_id);
CREATE INDEX idx_file_paths_content_hash ON file_paths (content_hash);

CREATE TABLE file_metadata (
    metadata_id TEXT NOT NULL CONSTRAINT pk_file_metadata PRIMARY KEY,
    path_id     TEXT NOT NULL CONSTRAINT fk_file_metadata_path_id
                REFERENCES file_paths (path_id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    value       TEXT CONSTRAINT ck_file_metadata_value_json CHECK (value IS NULL OR json_valid(value)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX idx_file_metadata_path_id ON file_metadata (path_id);
CREATE INDEX idx_file_metadata_key ON file_metadata (key);

CREATE TABLE content_chunks (
    chunk_id         TEXT    NOT NULL CONSTRAINT pk_content_chunks PRIMARY KEY,
    content_hash     TEXT    NOT NULL CONSTRAINT uq_content_chunks_content_hash UNIQUE,
    size_bytes       INTEGER NOT NULL,
    storage_path     TEXT    NOT NULL,
    ref_count        INTEGER NOT NULL DEFAULT 1 CONSTRAINT ck_content_chunks_ref_count CHECK (ref_count >= 0),
    created_at       TEXT    NOT NULL,
    last_accessed_at TEXT
);
CREATE INDEX idx_content_chunks_ref_count ON content_chunks (ref_count);
CREATE INDEX idx_content_chunks_last_accessed_at ON content_chunks (last_accessed_at);
