#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, as an unprivileged user, on 127.0.0.1 only.
#
#   eval "$(.ci/postgres.sh start)"   # starts it and prints: export SALESTUI_TEST_PG_URL=...
#   .ci/postgres.sh stop              # stops it and deletes its files
#
# Uses Debian's packages (apt-get install -y postgresql). Settings through the environment:
#   SALESTUI_PG_PORT (54329), SALESTUI_PG_DIR (/tmp/salestui-ci-pg-$PORT), SALESTUI_PG_BIN.
# As root, the server runs as the "postgres" system user (initdb refuses root).
set -euo pipefail

PORT="${SALESTUI_PG_PORT:-54329}"
DIR="${SALESTUI_PG_DIR:-/tmp/salestui-ci-pg-$PORT}"
SUPERUSER="salestui_ci"
DATABASE="salestui_test"
BIN="${SALESTUI_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "postgres.sh: PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2
    exit 1
fi

as_owner() {
    # Run a command as the unprivileged owner of the cluster.
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    if [ -d "$DIR" ]; then
        stop >/dev/null 2>&1 || true
    fi
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    if [ "$(id -u)" = "0" ]; then
        chown postgres: "$DIR"
    fi
    as_owner "$BIN/initdb" --pgdata="$DIR/data" --username="$SUPERUSER" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    # Throwaway data: durability off for speed; TCP on loopback only; the socket stays in $DIR.
    as_owner "$BIN/pg_ctl" --pgdata="$DIR/data" --log="$DIR/server.log" --wait --timeout=60 \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
    as_owner "$BIN/createdb" --host="$DIR" --port="$PORT" --username="$SUPERUSER" "$DATABASE"
    echo "export SALESTUI_TEST_PG_URL=postgresql+psycopg://$SUPERUSER@127.0.0.1:$PORT/$DATABASE"
}

stop() {
    if [ -f "$DIR/data/postmaster.pid" ]; then
        as_owner "$BIN/pg_ctl" --pgdata="$DIR/data" --mode=immediate --wait stop >/dev/null || true
    fi
    rm -rf "$DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
