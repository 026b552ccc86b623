#!/bin/sh
# Entry point of the tests' stand-in for the official postgres image: the same
# variables (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB), the same data folder, the
# same port, from Debian's PostgreSQL. The tests cannot pull the official image here.
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
bindir=$(echo /usr/lib/postgresql/*/bin)
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    printf '%s\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
    chown postgres /tmp/pwfile
    as_postgres "$bindir/initdb" -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" \
        --pwfile=/tmp/pwfile --auth=scram-sha-256 >/dev/null
    rm /tmp/pwfile
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    database=${POSTGRES_DB:-${POSTGRES_USER:-postgres}}
    if [ "$database" != postgres ]; then
        echo "CREATE DATABASE \"$database\" OWNER \"${POSTGRES_USER:-postgres}\";" \
            | as_postgres "$bindir/postgres" --single -D "$PGDATA" postgres >/dev/null
    fi
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups \
    "$bindir/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
