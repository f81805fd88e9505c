#!/bin/sh
# Install the PostgreSQL server the grading tests run nbgrader's gradebook on (tests/support/postgres.py starts a
# throwaway one per test session, on a unix socket in a temporary folder): Debian's `postgresql-15` package.
# Does nothing if an initdb exists under /usr/lib/postgresql/*/bin; installs the package with apt-get only
# when run as root, then drops the cluster Debian's package creates and starts by itself, so no server is
# left running; otherwise says what to run. Always exits 0: without PostgreSQL those tests skip (fail on CI).
set -u

for initdb in /usr/lib/postgresql/*/bin/initdb; do
    if [ -x "$initdb" ]; then
        echo "install_postgres: PostgreSQL is already installed ($("$initdb" --version 2>/dev/null)); nothing to do."
        exit 0
    fi
done
if [ "$(id -u)" -ne 0 ]; then
    echo "install_postgres: PostgreSQL is missing and this is not root, so nothing was installed."
    echo "install_postgres: run 'sudo tools/install_postgres.sh' (or 'sudo apt-get install postgresql-15'); until then the PostgreSQL gradebook tests are skipped."
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_postgres: PostgreSQL is missing and there is no apt-get here; install PostgreSQL (its initdb under /usr/lib/postgresql/<version>/bin) with your package manager."
    exit 0
fi
# Clusters configured before the install (/etc/postgresql/<version>/<cluster>): never dropped below.
BEFORE=" $(echo /etc/postgresql/*/*) "
echo "install_postgres: PostgreSQL is missing; running apt-get install postgresql-15 ..."
export DEBIAN_FRONTEND=noninteractive
if apt-get install -y -q --no-install-recommends postgresql-15 \
    || { echo "install_postgres: retrying after apt-get update ..."; apt-get update -q && apt-get install -y -q --no-install-recommends postgresql-15; }; then
    echo "install_postgres: installed $(/usr/lib/postgresql/15/bin/initdb --version 2>/dev/null)."
    # The package creates and starts a cluster (15/main on port 5432); the tests start their own servers.
    if command -v pg_lsclusters >/dev/null 2>&1; then
        pg_lsclusters --no-header 2>/dev/null | while read -r version cluster _rest; do
            case "$BEFORE" in *" /etc/postgresql/$version/$cluster "*) continue ;; esac
            echo "install_postgres: stopping and dropping the cluster $version/$cluster the package created."
            pg_dropcluster --stop "$version" "$cluster" \
                || echo "install_postgres: could not drop the cluster $version/$cluster; stop it with 'pg_dropcluster --stop $version $cluster'." >&2
        done
    fi
else
    echo "install_postgres: apt-get failed; the PostgreSQL gradebook tests will be skipped (and fail on CI)." >&2
fi
exit 0
