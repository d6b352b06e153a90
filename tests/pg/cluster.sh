#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the team server's tests (`make test` runs it).
#
#   tests/pg/cluster.sh prepare   before `apt-get install postgresql`: asks Debian's postgresql-common
#                                 not to create (and start) a system `main` cluster
#   eval "$(tests/pg/cluster.sh start)"
#                                 initdb in a `mktemp -d` folder, started on a free 127.0.0.1 port with
#                                 its socket in that folder; prints the export lines of
#                                 WEBHOOK_STUDIO_TEST_POSTGRES (admin URL) and WEBHOOK_STUDIO_PG_DIR
#   tests/pg/cluster.sh stop [DIR]
#                                 stops it and deletes the folder (DIR or $WEBHOOK_STUDIO_PG_DIR)
#
# PostgreSQL refuses to run as root: as root the cluster runs as the package's `postgres` user,
# otherwise as the current user. Authentication is `trust` on 127.0.0.1 only; fsync is off (unless
# WEBHOOK_STUDIO_PG_FSYNC=on, as `make bench` sets so PostgreSQL is as durable as SQLite there): the
# data is thrown away after the run.
set -euo pipefail

die() {
  echo "tests/pg/cluster.sh: $*" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (apt-get install postgresql creates it)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] && command -v pg_config >/dev/null; then dir=$(pg_config --bindir); fi
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "PostgreSQL's initdb is not installed: apt-get install postgresql (make test does)"
  echo "$dir"
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "${1:-}" in
  prepare)
    # Once the package is installed there is nothing left to prevent.
    if dpkg-query -W -f='${Status}' postgresql-common 2>/dev/null | grep -q 'install ok installed'; then exit 0; fi
    conf=/etc/postgresql-common/createcluster.conf
    if ! grep -qs '^create_main_cluster *= *false' "$conf"; then
      sudo=""
      [ "$(id -u)" = 0 ] || sudo="sudo"
      $sudo mkdir -p /etc/postgresql-common
      echo "create_main_cluster = false" | $sudo tee -a "$conf" >/dev/null
    fi
    ;;
  start)
    bin=$(bindir)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/webhook-studio-pg.XXXXXX")
    chmod 700 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" --auth=trust -U postgres --encoding=UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
    started=""
    for _ in 1 2 3 4 5 6 7 8; do
      port=$((20000 + RANDOM % 40000))
      port_free "$port" || continue
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${WEBHOOK_STUDIO_PG_FSYNC:-off} -c max_connections=200" start >/dev/null 2>&1; then
        started=yes
        break
      fi
    done
    if [ -z "$started" ]; then
      cat "$dir/server.log" >&2 || true
      rm -rf "$dir"
      die "the cluster did not start"
    fi
    echo "tests/pg/cluster.sh: PostgreSQL on 127.0.0.1:$port in $dir" >&2
    echo "export WEBHOOK_STUDIO_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/postgres"
    echo "export WEBHOOK_STUDIO_PG_DIR=$dir"
    ;;
  stop)
    dir="${2:-${WEBHOOK_STUDIO_PG_DIR:-}}"
    [ -n "$dir" ] || die "stop needs the folder start printed (argument or WEBHOOK_STUDIO_PG_DIR)"
    case "$dir" in
      */webhook-studio-pg.*) ;;
      *) die "refusing to delete $dir: not a folder start made" ;;
    esac
    if [ -d "$dir/data" ]; then
      as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: tests/pg/cluster.sh prepare|start|stop [DIR]" >&2
    exit 2
    ;;
esac
