#!/usr/bin/env bash
# Fails the build when a migration lacks one of its four files (up and down, for each dialect)
# or when a file name does not follow NNNN_name.(up|down).sql.
set -euo pipefail
root=${1:?usage: check-migrations.sh <Migrations/Scripts folder>}
dialects=(sqlite postgres)
status=0
ids=$(find "$root" -name '*.sql' -printf '%f\n' | sed -E 's/\.(up|down)\.sql$//' | sort -u)
for f in $(find "$root" -name '*.sql' -printf '%f\n'); do
  [[ $f =~ ^[0-9]{4}_[a-z0-9_]+\.(up|down)\.sql$ ]] || { echo "error NEXUSMIG: migration file '$f' is not named NNNN_name.up.sql or NNNN_name.down.sql"; status=1; }
done
for id in $ids; do
  for d in "${dialects[@]}"; do
    for dir in up down; do
      [ -f "$root/$d/$id.$dir.sql" ] || { echo "error NEXUSMIG: migration $id lacks $d/$id.$dir.sql"; status=1; }
    done
  done
done
exit $status
