#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: Debian's postgresql
# (installed with apt-get when absent), initdb'd in a temporary folder,
# listening on 127.0.0.1 at a free port, removed at exit. The command sees
# CAREMATCH_TEST_POSTGRES=postgres://carematch@127.0.0.1:PORT.
# As root, the cluster runs as the `postgres` user (initdb refuses root).
#
#   bash service/tests/with-postgres.sh cargo test -p carematch-service --features postgres --test replicas
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "installing Debian's postgresql"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
        sudo -n apt-get update -qq
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

dir=$(mktemp -d)
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    chmod 755 "$dir"
    as_pg() { runuser -u postgres -- "$@"; }
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((50000 + RANDOM % 10000)))
stop() {
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
as_pg "$bindir/initdb" -D "$dir/data" -A trust -U carematch >/dev/null
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
echo "postgres $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
CAREMATCH_TEST_POSTGRES="postgres://carematch@127.0.0.1:$port" "$@"
