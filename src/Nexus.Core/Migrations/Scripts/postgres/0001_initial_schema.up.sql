-- Migration 0001: initial schema
-- Description: The original Nexus store's three tables (file paths, attributes, content chunks).
-- PostgreSQL: native uuid ids, jsonb attribute values with a GIN index, timestamptz in UTC.

CREATE TABLE file_paths (
    path_id       uuid         NOT NULL CONSTRAINT pk_file_paths PRIMARY KEY,
    tenant_id     varchar(36)  NOT NULL,
    virtual_path  text         NOT NULL,
    backend_id    text         NOT NULL,
    physical_path text         NOT NULL,
    file_type     varchar(255),
    size_bytes    bigint       NOT NULL DEFAULT 0,
    content_hash  varchar(64),
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL,
    deleted_at    timestamptz,
    CONSTRAINT uq_file_paths_tenant_virtual_path UNIQUE (tenant_id, virtual_path),
    CONSTRAINT ck_file_paths_size_bytes CHECK (size_bytes >= 0)
);
CREATE INDEX idx_file_paths_backend_id ON file_paths (backend_id);
CREATE INDEX idx_file_paths_content_hash ON file_paths (content_hash);

CREATE TABLE file_metadata (
    metadata_id uuid         NOT NULL CONSTRAINT pk_file_metadata PRIMARY KEY,
    path_id     uuid         NOT NULL CONSTRAINT fk_file_metadata_path_id
                REFERENCES file_paths (path_id) ON DELETE CASCADE,
    key         varchar(255) NOT NULL,
    value       jsonb,
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL
);
CREATE INDEX idx_file_metadata_path_id ON file_metadata (path_id);
CREATE INDEX idx_file_metadata_key ON file_metadata (key);
CREATE INDEX idx_file_metadata_value_gin ON file_metadata USING gin (value jsonb_path_ops);

CREATE TABLE content_chunks (
    chunk_id         uuid        NOT NULL CONSTRAINT pk_content_chunks PRIMARY KEY,
    content_hash     varchar(64) NOT NULL CONSTRAINT uq_content_chunks_content_hash UNIQUE,
    size_bytes       bigint      NOT NULL,
    storage_path     text        NOT NULL,
    ref_count        integer     NOT NULL DEFAULT 1 CONSTRAINT ck_content_chunks_ref_count CHECK (ref_count >= 0),
    created_at       timestamptz NOT NULL,
    last_accessed_at timestamptz
);
CREATE INDEX idx_content_chunks_ref_count ON content_chunks (ref_count);
CREATE INDEX idx_content_chunks_last_accessed_at ON content_chunks (last_accessed_at);
