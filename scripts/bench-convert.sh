#!/usr/bin/env bash
# Figures for the layouts of issue 13 (docs/LAYOUTS.md), on throwaway servers this script starts.
#
#   bash scripts/bench-convert.sh [records=100000] [runs=1]
#       Builds a PostgreSQL store of <records> file records in 5 tenants (SQL-generated), two
#       attributes each and a chunk per 4 records, then times Convert-NexusStore
#       plain -> partitioned (16) -> plain, <runs> times, and says whether every table's checksum
#       matched (old against new, and the same values in both directions).
#
#   bash scripts/bench-convert.sh chunks [operations=20000]
#       On a Citus coordinator and two workers (scripts/lib/citus.sh), content_chunks as a
#       reference table against content_chunks distributed by content_hash: <operations> chunk
#       puts (the module's INSERT ... ON CONFLICT (content_hash) DO UPDATE) and as many gets by
#       hash, with pgbench, 1 and 4 clients. The reason for the reference table is in LAYOUTS.md.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

chunks() {
  local operations="${1:-20000}" bin vars url pw port schema clients
  # shellcheck source=lib/citus.sh
  source scripts/lib/citus.sh
  trap 'citus_stop_all 2>/dev/null || true' EXIT
  citus_root
  vars="$(citus_start)"
  if grep -q '^SKIP=' <<<"$vars"; then echo "chunks: $(grep '^SKIP=' <<<"$vars")"; exit 0; fi
  url="$(sed -n 's/^CITUS_URL=//p' <<<"$vars")"; pw="$(sed -n 's/^PASSWORD=//p' <<<"$vars")"
  port="$(sed -n 's/^COORDINATOR_PORT=//p' <<<"$vars")"
  bin="$(pg_bindir)"
  export PGPASSWORD="$pw"
  "$bin/psql" "$url" -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE SCHEMA chunks_reference;
CREATE SCHEMA chunks_distributed;
CREATE TABLE chunks_reference.content_chunks (
    chunk_id uuid NOT NULL CONSTRAINT pk_content_chunks PRIMARY KEY,
    content_hash varchar(64) NOT NULL CONSTRAINT uq_content_chunks_content_hash UNIQUE,
    size_bytes bigint NOT NULL, storage_path text NOT NULL,
    ref_count integer NOT NULL DEFAULT 1 CHECK (ref_count >= 0),
    created_at timestamptz NOT NULL, last_accessed_at timestamptz, protected_until timestamptz);
CREATE INDEX ON chunks_reference.content_chunks (ref_count);
CREATE INDEX ON chunks_reference.content_chunks (last_accessed_at);
CREATE INDEX ON chunks_reference.content_chunks (protected_until) WHERE ref_count = 0;
SELECT create_reference_table('chunks_reference.content_chunks');
-- Distributed by content_hash: Citus wants the distribution column in every unique constraint,
-- so the primary key can no longer be chunk_id alone.
CREATE TABLE chunks_distributed.content_chunks (LIKE chunks_reference.content_chunks INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE chunks_distributed.content_chunks ADD CONSTRAINT pk_content_chunks PRIMARY KEY (content_hash, chunk_id),
    ADD CONSTRAINT uq_content_chunks_content_hash UNIQUE (content_hash);
CREATE INDEX ON chunks_distributed.content_chunks (ref_count);
CREATE INDEX ON chunks_distributed.content_chunks (last_accessed_at);
CREATE INDEX ON chunks_distributed.content_chunks (protected_until) WHERE ref_count = 0;
SELECT create_distributed_table('chunks_distributed.content_chunks', 'content_hash', shard_count => 16);
SQL
  local dir; dir="$(mktemp -d)"
  cat > "$dir/put.sql" <<SQL
\set i random(1, $operations)
INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at, last_accessed_at, protected_until)
VALUES (gen_random_uuid(), 'hash-' || :i, 10, '/c/' || :i, 1, now(), now(), NULL)
ON CONFLICT (content_hash) DO UPDATE SET ref_count = content_chunks.ref_count + 1, last_accessed_at = excluded.last_accessed_at
RETURNING chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at, last_accessed_at, protected_until;
SQL
  cat > "$dir/get.sql" <<SQL
\set i random(1, $operations)
SELECT chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at, last_accessed_at, protected_until FROM content_chunks WHERE content_hash = 'hash-' || :i;
SQL
  echo "content_chunks on Citus 13.2.2 (coordinator + 2 workers on this machine), $operations operations each, pgbench:"
  for clients in 1 4; do
    for form in reference distributed; do
      for op in put get; do
        local tps
        tps="$("$bin/pgbench" -n -M prepared -c "$clients" -j "$clients" -t $((operations / clients)) -f "$dir/$op.sql" \
          "host=127.0.0.1 port=$port dbname=nexus_citus user=nexus options=-csearch_path=chunks_$form" 2>&1 \
          | sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
        printf '  %-11s %-3s %d client(s): %8.0f per second\n' "$form" "$op" "$clients" "$tps"
      done
    done
  done
  # Clear-NexusChunk's scan for unreferenced chunks: local on a reference table, a fan-out otherwise.
  for form in reference distributed; do
    "$bin/psql" "host=127.0.0.1 port=$port dbname=nexus_citus user=nexus options=-csearch_path=chunks_$form" -qAtX \
      -c "UPDATE content_chunks SET ref_count = 0 WHERE content_hash LIKE 'hash-1%'" >/dev/null
    local ms
    ms="$("$bin/psql" "host=127.0.0.1 port=$port dbname=nexus_citus user=nexus options=-csearch_path=chunks_$form" -qAtX \
      -c '\timing on' -c "SELECT count(*) FROM content_chunks WHERE ref_count = 0 AND (protected_until IS NULL OR protected_until <= now())" \
      | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')"
    printf '  %-11s unreferenced-chunk scan: %s ms\n' "$form" "$ms"
  done
  rm -rf "$dir"
}

convert() {
  local records="${1:-100000}" runs="${2:-1}"
  bash scripts/build.sh >/dev/null
  # shellcheck source=lib/pg.sh
  source scripts/lib/pg.sh
  trap 'pg_stop 2>/dev/null || true' EXIT
  pg_start >/dev/null
  local bin; bin="$(pg_bindir)"
  BENCH_URL="$TEST_DATABASE_URL" dotnet tool run pwsh -NoProfile -NonInteractive -Command '
    Import-Module ./out/Nexus/Nexus.psd1
    $s = Connect-NexusStore $env:BENCH_URL -NoDefault -WarningAction SilentlyContinue
    Invoke-NexusMigration -Store $s -Confirm:$false | Out-Null' >/dev/null
  "$bin/psql" "$TEST_DATABASE_URL" -qX -v ON_ERROR_STOP=1 <<SQL
INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, content_hash, created_at, updated_at, current_version)
SELECT md5('f' || i)::uuid, 'tenant-' || (i % 5), '/bench/' || (i % 100) || '/file-' || i || '.bin', 'local', '/srv/' || i, i, md5('c' || (i / 4)), now(), now(), 1
  FROM generate_series(1, $records) i;
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
SELECT md5('m' || i || k)::uuid, md5('f' || i)::uuid, k, CASE k WHEN 'owner' THEN jsonb_build_object('uid', i % 1000, 'name', 'user-' || (i % 1000)) ELSE jsonb_build_array(i % 7, 'x') END, now(), now()
  FROM generate_series(1, $records) i, unnest(ARRAY['owner', 'tags']) k;
INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at)
SELECT md5('chunk' || i)::uuid, md5('c' || i), 4096, '/chunks/' || i, 4, now() FROM generate_series(0, $records / 4) i;
VACUUM ANALYZE;
SQL
  BENCH_URL="$TEST_DATABASE_URL" BENCH_RUNS="$runs" dotnet tool run pwsh -NoProfile -NonInteractive -Command '
    $ErrorActionPreference = "Stop"
    Import-Module ./out/Nexus/Nexus.psd1
    $s = Connect-NexusStore $env:BENCH_URL -NoDefault -WarningAction SilentlyContinue
    $all = @()
    foreach ($run in 1..([int]$env:BENCH_RUNS)) {
        $all += Convert-NexusStore -Store $s -Layout partitioned -Partitions 16 -Confirm:$false
        $all += Convert-NexusStore -Store $s -Layout plain -Confirm:$false
    }
    $first = $all[0]; $back = $all[1]
    "store: $(($first.Tables | ForEach-Object { "$($_.Table) $($_.Rows)" }) -join ", ") ($($s.ServerVersion), $([Environment]::ProcessorCount) cores)"
    foreach ($r in $all) {
        $ok = @($r.Tables | Where-Object { -not $_.Verified }).Count -eq 0
        "{0,-11} -> {1,-11}: {2,6:0.0} s, checksums {3}" -f $r.PreviousLayout, $r.Layout, $r.Elapsed.TotalSeconds, $(if ($ok) { "matched" } else { "DID NOT match" })
    }
    $same = ($first.Tables.SourceChecksum -join ",") -eq ($back.Tables.DestinationChecksum -join ",")
    "checksums after plain -> partitioned -> plain equal to the original: $same"'
}

case "${1:-}" in
  chunks) shift; chunks "$@" ;;
  *) convert "$@" ;;
esac
