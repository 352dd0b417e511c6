#!/usr/bin/env bash
# Installs everything the build and the tests need; safe to run again and again.
#   - PowerShell (local .NET tool pinned in .config/dotnet-tools.json)
#   - Pester and the isolation-test packages (PackageDownload in scripts/tools/Tools.proj)
#   - xUnit and the test SDK for tests/Nexus.Core.Tests (pinned in its project file)
#   - PostgreSQL 15 server binaries, PgBouncer and the sqlite3 CLI (Debian packages), only if missing
#   - Debian's python3-sqlalchemy, -alembic, -psycopg2, -cachetools for the original system's tier, only if missing
# Exports nothing: callers find what they need themselves (see scripts/test.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "setup: dotnet tool restore (pwsh)"
dotnet tool restore >/dev/null

echo "setup: restoring test packages (scripts/tools/Tools.proj)"
dotnet restore scripts/tools/Tools.proj --verbosity quiet >/dev/null

# xUnit and the test SDK, at the versions pinned in the project file.
echo "setup: restoring the core test project (tests/Nexus.Core.Tests)"
dotnet restore tests/Nexus.Core.Tests/Nexus.Core.Tests.csproj --verbosity quiet >/dev/null

apt_packages=()
pg_bin=""
if command -v pg_config >/dev/null 2>&1; then pg_bin="$(pg_config --bindir)"; fi
# libpq-dev's pg_config can point at /usr/bin (no server there): check for initdb itself.
if [[ ! -x "$pg_bin/initdb" && ! -x /usr/lib/postgresql/15/bin/initdb ]]; then
  apt_packages+=(postgresql-15)
fi
command -v sqlite3 >/dev/null 2>&1 || apt_packages+=(sqlite3)
# PgBouncer 1.18 (Debian 12) for tests/PgBouncer.Tests.ps1; the tests run their own instance.
command -v pgbouncer >/dev/null 2>&1 || [[ -x /usr/sbin/pgbouncer ]] || apt_packages+=(pgbouncer)

# tests/Original.Tests.ps1 runs the original Nexus system's own code (../shared/vendor/nexus-original)
# with Debian's Python and SQLAlchemy 1.4; only where that folder is present (else the tier is skipped).
if [[ -d ../shared/vendor/nexus-original ]]; then
  for module in sqlalchemy alembic psycopg2 cachetools; do
    /usr/bin/python3 -c "import $module" >/dev/null 2>&1 || apt_packages+=("python3-$module")
  done
fi

if ((${#apt_packages[@]})); then
  echo "setup: apt-get install ${apt_packages[*]}"
  [[ $(id -u) -eq 0 ]] || { echo "setup: need root to install ${apt_packages[*]}" >&2; exit 1; }
  # Keep Debian from creating (and starting) its default 'main' cluster: tests run
  # their own throwaway server (scripts/lib/pg.sh) on a free port.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/nexus-no-main-cluster.conf
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

# initdb refuses to run as root: the throwaway server runs as 'postgres'
# (the Debian package creates that user; create it if the binaries came another way).
if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
  echo "setup: creating OS user postgres"
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
fi
echo "setup: done"
