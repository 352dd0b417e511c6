-- Migration 0001: initial schema (down)
-- Drops the three tables; children first so no cascade runs.
DROP TABLE content_chunks;
DROP TABLE file_metadata;
DROP TABLE file_paths;
