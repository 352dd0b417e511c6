-- The store's three tables at the migrations' head (0001-0004), in the tenant-keyed form that the
-- partitioned and distributed layouts share. Run in the schema the caller chose (unqualified
-- names, search_path set by the caller). {partition_by} is " PARTITION BY HASH (tenant_id)" for
-- the partitioned layout and empty for the distributed one (Citus distributes after this script).
--
-- What differs from the plain tables, and only that (a test compares both catalogs):
--   * tenant_id is in every primary key and unique constraint of file_paths and file_metadata;
--   * file_metadata has tenant_id (last column, so the plain columns keep their positions) and
--     its foreign key is (tenant_id, path_id);
--   * no other index or constraint changes its columns.
-- Every constraint and index keeps the plain name, so that a migration written once (ALTER ...
-- DROP CONSTRAINT uq_file_metadata_path_key, DROP INDEX idx_file_metadata_key, ...) runs on every
-- layout. content_chunks has no tenant: the caller decides its form (kept as is here).

CREATE TABLE file_paths (
    path_id         uuid         NOT NULL,
    tenant_id       varchar(36)  NOT NULL,
    virtual_path    text         NOT NULL,
    backend_id      text         NOT NULL,
    physical_path   text         NOT NULL,
    file_type       varchar(255),
    size_bytes      bigint       NOT NULL DEFAULT 0,
    content_hash    varchar(64),
    created_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL,
    deleted_at      timestamptz,
    current_version integer      NOT NULL DEFAULT 1,
    CONSTRAINT pk_file_paths PRIMARY KEY (tenant_id, path_id),
    CONSTRAINT uq_file_paths_tenant_virtual_path UNIQUE (tenant_id, virtual_path),
    CONSTRAINT ck_file_paths_size_bytes CHECK (size_bytes >= 0)
){partition_by};
CREATE INDEX idx_file_paths_backend_id ON file_paths (backend_id);
CREATE INDEX idx_file_paths_content_hash ON file_paths (content_hash);
CREATE INDEX idx_file_paths_tenant_path_c ON file_paths (tenant_id, virtual_path COLLATE "C");

CREATE TABLE file_metadata (
    metadata_id uuid         NOT NULL,
    path_id     uuid         NOT NULL,
    key         varchar(255) NOT NULL,
    value       jsonb,
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL DEFAULT now(),
    tenant_id   varchar(36)  NOT NULL,
    CONSTRAINT pk_file_metadata PRIMARY KEY (tenant_id, metadata_id),
    CONSTRAINT fk_file_metadata_path_id FOREIGN KEY (tenant_id, path_id)
        REFERENCES file_paths (tenant_id, path_id) ON DELETE CASCADE,
    CONSTRAINT uq_file_metadata_path_key UNIQUE (tenant_id, path_id, key)
){partition_by};
COMMENT ON COLUMN file_metadata.updated_at IS 'default set by Nexus migration 0004';
CREATE INDEX idx_file_metadata_key ON file_metadata (key);
CREATE INDEX idx_file_metadata_value_gin ON file_metadata USING gin (value jsonb_path_ops);
CREATE INDEX idx_file_metadata_key_value_gin ON file_metadata USING gin (jsonb_set('{}'::jsonb, ARRAY[key::text], value::jsonb) jsonb_path_ops);

CREATE TABLE content_chunks (
    chunk_id         uuid        NOT NULL CONSTRAINT pk_content_chunks PRIMARY KEY,
    content_hash     varchar(64) NOT NULL CONSTRAINT uq_content_chunks_content_hash UNIQUE,
    size_bytes       bigint      NOT NULL,
    storage_path     text        NOT NULL,
    ref_count        integer     NOT NULL DEFAULT 1 CONSTRAINT ck_content_chunks_ref_count CHECK (ref_count >= 0),
    created_at       timestamptz NOT NULL,
    last_accessed_at timestamptz,
    protected_until  timestamptz
);
CREATE INDEX idx_content_chunks_ref_count ON content_chunks (ref_count);
CREATE INDEX idx_content_chunks_last_accessed_at ON content_chunks (last_accessed_at);
CREATE INDEX idx_content_chunks_unreferenced ON content_chunks (protected_until) WHERE ref_count = 0;
