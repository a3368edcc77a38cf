# shellcheck shell=bash
# PostgreSQL cluster helpers shared by scripts/run, scripts/test and scripts/bench.
# Source it; it sets nothing up by itself. Typical use:
#   pg_ensure_binaries; pg_init DIR; trap pg_stop EXIT; pg_start DIR [-c name=value…]
#   pg_create_db NAME; export DATABASE_URL=$(pg_url NAME)
# State after pg_start: PG_BIN, PG_DATA, PG_PORT, PG_SOCKET_DIR, PG_LOG.

PG_SUPERUSER=chanjiao

# Runs a command as the cluster owner: postgres refuses to run as root, so root hands over to
# the `postgres` user (from /, which it can always enter).
pg__owner() {
  if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg__find_bin() {
  local dir
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do # newest first
    [[ -x $dir/initdb ]] && { echo "$dir"; return 0; }
  done
  command -v pg_config >/dev/null && [[ -x $(pg_config --bindir)/initdb ]] && pg_config --bindir
  return 0
}

# Sets PG_BIN (server binaries), installing postgresql + contrib when missing.
pg_ensure_binaries() {
  PG_BIN=${PG_BIN:-$(pg__find_bin)}
  # contrib (pg_trgm, btree_gist, citext) is part of the schema, so its absence counts too.
  if [[ -z $PG_BIN || ! -f $("$PG_BIN/pg_config" --sharedir 2>/dev/null)/extension/pg_trgm.control ]]; then
    echo "PostgreSQL server or contrib missing: installing postgresql postgresql-contrib" >&2
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql postgresql-contrib
    PG_BIN=$(pg__find_bin)
    [[ -n $PG_BIN ]] || { echo "error: initdb still not found after installing postgresql" >&2; return 1; }
  fi
  if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  PG_PSQL=$PG_BIN/psql
  [[ -x $PG_PSQL ]] || PG_PSQL=/usr/bin/psql
}

# Succeeds when the cluster owner can traverse PATH (or its nearest existing ancestor).
# Path resolution checks search permission on every parent, so one `test -x` covers them all.
pg_reachable() {
  local path=$1
  ((EUID == 0)) || return 0
  while [[ ! -e $path ]]; do path=$(dirname "$path"); done
  pg__owner test -x "$path"
}

# Prints the persistent data dir for checkout ROOT: ROOT/.data/postgres, or when the postgres
# user cannot reach ROOT (e.g. a checkout under a 0700 home), /var/tmp/chanjiao-<hash>/postgres.
pg_data_dir() {
  local root=$1
  if pg_reachable "$root/.data"; then
    echo "$root/.data/postgres"
  else
    local alt
    alt=/var/tmp/chanjiao-$(printf %s "$root" | sha256sum | cut -c1-12)
    echo "note: the postgres user cannot reach $root; the cluster for this checkout lives in $alt" >&2
    echo "$alt/postgres"
  fi
}

# Prints a fresh temporary dir the cluster owner can use (caller removes it).
pg_tmp_dir() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/chanjiao-$1.XXXXXX")
  chmod 755 "$dir"
  if ! pg_reachable "$dir"; then
    rmdir "$dir"
    dir=$(mktemp -d "/tmp/chanjiao-$1.XXXXXX") && chmod 755 "$dir"
  fi
  echo "$dir"
}

# Creates the cluster in DIR unless it exists. Extra args go to initdb (e.g. --no-sync).
pg_init() {
  local dir=$1
  shift
  if [[ -f $dir/PG_VERSION ]]; then
    # An existing cluster needs the server of its own major version.
    local v
    v=$(<"$dir/PG_VERSION")
    [[ -x /usr/lib/postgresql/$v/bin/postgres ]] && PG_BIN=/usr/lib/postgresql/$v/bin
    return 0
  fi
  # shellcheck disable=SC2174 # -m is meant for the deepest dir: the parent dirs exist already
  mkdir -p -m 755 "$(dirname "$dir")" && mkdir -p -m 700 "$dir"
  ((EUID == 0)) && chown postgres: "$dir"
  local log
  log=$(dirname "$dir")/initdb.log
  if ! pg__owner "$PG_BIN/initdb" -D "$dir" -E UTF8 --locale=C.UTF-8 -U "$PG_SUPERUSER" --auth=trust "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "error: initdb failed for $dir" >&2
    return 1
  fi
  echo "initialised a PostgreSQL cluster in $dir" >&2
}

pg__port_busy() {
  if command -v ss >/dev/null; then
    [[ -n $(ss -Hltn "( sport = :$1 )") ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Prints a TCP port nothing listens on, scanning up from a random point above 20000
# (random so that concurrent runs rarely race for the same one; pg_start retries anyway).
pg_free_port() {
  # Below Linux's ephemeral range (32768–60999): a port in it can be taken, between this check
  # and the bind, by the local end of some outgoing connection (seen: the service failed to
  # start with "Address already in use" after the seeder's connections).
  local port=$((20000 + RANDOM % 8000)) i
  for ((i = 0; i < 500; i++, port++)); do
    pg__port_busy "$port" || { echo "$port"; return 0; }
  done
  echo "error: no free TCP port found" >&2
  return 1
}

# Starts the cluster in DIR on a free port, with a private socket dir and the log beside DIR.
# Extra args are server options (e.g. -c fsync=off). The port changes at every start.
pg_start() {
  local dir=$1
  shift
  if [[ -f $dir/postmaster.pid ]] && pg__owner "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    # Not ours to stop: another scripts/run, or one killed with SIGKILL.
    echo "error: a server already runs on $dir (port $(sed -n 4p "$dir/postmaster.pid"))." >&2
    local how="$PG_BIN/pg_ctl -D $dir stop -m fast"
    ((EUID == 0)) && how="runuser -u postgres -- $how"
    echo "  stop it with: $how" >&2
    return 1
  fi
  PG_DATA=$dir
  PG_LOG=$(dirname "$dir")/postgres.log
  # Under /tmp, not beside the data: a socket path must stay under ~100 bytes.
  PG_SOCKET_DIR=$(mktemp -d /tmp/chanjiao-pgsock.XXXXXX)
  touch "$PG_LOG"
  ((EUID == 0)) && chown postgres: "$PG_LOG" "$PG_SOCKET_DIR"
  for _ in 1 2 3; do # another process may grab the port between the scan and the bind
    PG_PORT=$(pg_free_port)
    if pg__owner "$PG_BIN/pg_ctl" -D "$dir" -l "$PG_LOG" -w -t 120 \
      -o "-p $PG_PORT -k $PG_SOCKET_DIR -c listen_addresses=127.0.0.1 $*" start >/dev/null; then
      pg_wait_ready
      return
    fi
  done
  tail -n 20 "$PG_LOG" >&2
  echo "error: PostgreSQL did not start (log: $PG_LOG)" >&2
  return 1
}

# Waits until the started server accepts connections.
pg_wait_ready() {
  local i
  for ((i = 0; i < 300; i++)); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && return 0
    sleep 0.1
  done
  echo "error: PostgreSQL on port $PG_PORT is not ready after 30 s" >&2
  return 1
}

# psql as the superuser over TCP, stopping at the first error. Pass -d DB and the rest.
pg_psql() {
  "$PG_PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$PG_SUPERUSER" "$@"
}

# Creates database NAME unless it exists.
pg_create_db() {
  pg_psql -d postgres -v name="$1" <<'SQL'
SELECT format('CREATE DATABASE %I', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SQL
}

# Prints the URL of database NAME on the started server.
pg_url() {
  echo "postgres://$PG_SUPERUSER@127.0.0.1:$PG_PORT/$1"
}

# Stops the server pg_start started (fast: rolls back open transactions), if any. Idempotent.
pg_stop() {
  [[ -n ${PG_DATA:-} ]] || return 0
  if [[ -f $PG_DATA/postmaster.pid ]]; then
    pg__owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 120 stop >/dev/null ||
      echo "warning: could not stop PostgreSQL in $PG_DATA (log: $PG_LOG)" >&2
  fi
  [[ -n ${PG_SOCKET_DIR:-} ]] && rm -rf "$PG_SOCKET_DIR"
  PG_DATA='' PG_SOCKET_DIR=''
}
