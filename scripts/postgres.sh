#!/usr/bin/env bash
# Manages a private PostgreSQL cluster in a folder, for development and tests.
#
#   scripts/postgres.sh ensure-installed     install PostgreSQL and pgvector if missing; print the bin dir
#   scripts/postgres.sh start DIR PORT [fast] create the cluster if needed, start it, print a connection string
#   scripts/postgres.sh stop DIR             stop it (no error if it is not running)
#   scripts/postgres.sh port DIR             print the port the cluster in DIR runs on; exit 1 if it is not running
#
# Layout: DIR/data is the cluster, DIR/postgres.log its log, and the unix socket lives in DIR itself
# (not /var/run/postgresql, which belongs to the system's own clusters).
# "fast" (or PG_FAST=1) turns off fsync and friends: a crash can then corrupt the cluster, so use it
# only for throwaway test clusters.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }

find_bin() {
  local initdb
  if initdb=$(command -v initdb 2>/dev/null); then
    dirname "$(readlink -f "$initdb")"
    return
  fi
  # Debian does not put the server binaries on PATH; take the newest version installed.
  local dir newest=
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && newest=$(printf '%s\n' "$dir" "$newest" | sort -V | tail -n 1)
  done
  [[ -n "$newest" ]] && echo "$newest"
}

ensure_installed() {
  local bin
  if ! bin=$(find_bin); then
    [[ $EUID -eq 0 ]] || die "PostgreSQL is not installed; run as root: apt-get install -y postgresql-15"
    # The package would otherwise create and start a system-wide 'main' cluster on port 5432 we do not want.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/plant.conf
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 >&2
    bin=$(find_bin) || die "postgresql-15 installed but initdb not found"
  fi
  ensure_pgvector "$bin"
  echo "$bin"
}

# pgvector (Cloud SQL has it) is not packaged for PostgreSQL 15 in Debian 12. It is built once from Debian's source
# package of the next release (apt checks it against that release's signed index) against the server headers of
# exactly the installed server version, unpacked from their -dev package rather than installed: installing it would
# upgrade the server. Only the extension's files are added to the server's folders.
ensure_pgvector() {
  local bin=$1 pg_config=$1/pg_config
  [[ -x $pg_config ]] || pg_config=$(command -v pg_config) || die "pg_config not found"
  local extensions
  extensions=$("$pg_config" --sharedir)/extension
  [[ -f $extensions/vector.control ]] && return
  [[ $EUID -eq 0 ]] || die "pgvector is not installed; run as root once: scripts/postgres.sh ensure-installed"
  # Test runs start servers in parallel: one builds, the others wait for it.
  exec 9>/var/lock/plant-pgvector.lock
  flock 9
  if [[ ! -f $extensions/vector.control ]]; then
    echo "postgres.sh: building pgvector for PostgreSQL (once, about 10 s)" >&2
    build_pgvector "$pg_config"
  fi
  exec 9>&-
  [[ -f $extensions/vector.control ]] || die "pgvector was built but $extensions/vector.control is missing"
}

build_pgvector() {
  local pg_config=$1 major version work missing=() tool
  major=$("$pg_config" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
  version=$(dpkg-query -W -f='${Version}' "postgresql-$major") || die "postgresql-$major is not an installed package"
  for tool in gcc:gcc make:make dpkg-source:dpkg-dev; do command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}"); done
  if ((${#missing[@]} > 0)); then
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
  work=$(mktemp -d)
  (
    cd "$work"
    # A source list of its own: the system's apt configuration stays as it was.
    echo 'deb-src http://deb.debian.org/debian trixie main' >sources.list
    mkdir -p lists/partial
    local apt=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o Dir::State::Lists="$work/lists" -o APT::Sandbox::User=root)
    apt-get "${apt[@]}" update >&2
    apt-get "${apt[@]}" source --download-only pgvector >&2
    dpkg-source -x pgvector_*.dsc src >&2
    apt-get -o APT::Sandbox::User=root download "postgresql-server-dev-$major=$version" >&2
    dpkg-deb -x postgresql-server-dev-*.deb dev
    local flags=(PG_CONFIG="$pg_config" includedir_server="$work/dev/usr/include/postgresql/$major/server" with_llvm=no)
    make -C src -s "${flags[@]}" >&2
    make -C src -s install "${flags[@]}" >&2
  ) || { rm -rf "$work"; die "pgvector could not be built"; }
  rm -rf "$work"
}

# The server refuses to run as root, so as root everything that touches the cluster runs as 'postgres'.
# cd / first: the postgres user usually cannot enter the caller's current directory.
as_pg() {
  if [[ $EUID -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# A postmaster killed with -9 stays a zombie until init reaps it (1-2 s here, never under an init that
# does not reap), and pg_ctl and the postmaster both take that zombie for a live server.
postmaster_is_zombie() {
  local pid
  pid=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null) || return 1
  grep -qs '^State:.*zombie' "/proc/$pid/status"
}

is_running() {
  [[ -d "$1/data" ]] && ! postmaster_is_zombie "$1" && as_pg "$BIN/pg_ctl" status -D "$1/data" >/dev/null 2>&1
}

# A string literal for postgresql.conf: quotes doubled.
conf_str() { printf "'%s'" "${1//\'/\'\'}"; }

start() {
  local dir=$1 port=$2 fast=${3:-${PG_FAST:-0}} i
  [[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$port'"
  [[ "$fast" == fast ]] && fast=1
  dir=$(realpath -m -- "$dir")
  # The socket path DIR/.s.PGSQL.PORT must fit in sun_path (108 bytes with the final NUL).
  ((${#dir} + 16 <= 107)) || die "DIR is too long to hold the server's unix socket: $dir"
  mkdir -p -- "$dir"
  if [[ $EUID -eq 0 ]]; then
    chown postgres: "$dir"
    # Only the folder itself is ours to change; a closed parent (say a 0700 home) is the caller's call.
    as_pg test -w "$dir" ||
      die "user 'postgres' cannot reach $dir: a parent folder is not traversable (needs o+x); pick another DIR"
  fi

  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    # Superuser 'postgres', UTF8 and the C locale: the same sort order on every machine.
    as_pg "$BIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --auth=trust >"$dir/initdb.log" 2>&1 ||
      die "initdb failed, see $dir/initdb.log"
    # Trust only the socket and 127.0.0.1; the server listens nowhere else anyway.
    printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' >"$dir/data/pg_hba.conf"
    echo "include_if_exists = 'plant.conf'" >>"$dir/data/postgresql.conf"
  fi

  if is_running "$dir"; then
    # Line 4 of postmaster.pid is the port the running server listens on.
    local running
    running=$(sed -n 4p "$dir/data/postmaster.pid")
    [[ "$running" == "$port" ]] || die "already running on port $running, not $port; stop it first"
  else
    # Rewritten on every start, so the port and the fast switch follow the arguments of this start.
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $port"
      echo "unix_socket_directories = $(conf_str "$dir")"
      if [[ "$fast" == 1 ]]; then
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
      fi
    } >"$dir/data/plant.conf"
    chown -R --reference="$dir/data" "$dir/data/plant.conf" "$dir/data/pg_hba.conf"
    # A postmaster.pid left by a killed server is ignored once its process is gone, but the postmaster
    # still checks it for orphaned backends: so wait for a zombie to be reaped before removing the file.
    for i in $(seq 1 20); do postmaster_is_zombie "$dir" || break; sleep 0.5; done
    if postmaster_is_zombie "$dir"; then rm -f "$dir/data/postmaster.pid"; fi
    # -w: pg_ctl waits until the server accepts connections.
    as_pg "$BIN/pg_ctl" start -D "$dir/data" -l "$dir/postgres.log" -w -t 60 >/dev/null ||
      die "server did not start, see $dir/postgres.log"
  fi

  for i in $(seq 1 60); do
    "$BIN/pg_isready" -q -U postgres -d postgres -h 127.0.0.1 -p "$port" && break
    [[ $i -eq 60 ]] && die "server not ready on 127.0.0.1:$port, see $dir/postgres.log"
    sleep 0.5
  done
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
}

stop() {
  local dir
  dir=$(realpath -m -- "$1")
  if is_running "$dir"; then
    as_pg "$BIN/pg_ctl" stop -D "$dir/data" -m fast -w >/dev/null
  fi
}

# Line 4 of postmaster.pid is the port the running server listens on.
port() {
  local dir
  dir=$(realpath -m -- "$1")
  is_running "$dir" || return 1
  sed -n 4p "$dir/data/postmaster.pid"
}

cmd=${1:-}
case "$cmd" in
  ensure-installed) ensure_installed ;;
  start)
    [[ $# -ge 3 ]] || die "usage: $0 start DIR PORT [fast]"
    BIN=$(ensure_installed)
    start "$2" "$3" "${4:-}"
    ;;
  stop)
    [[ $# -ge 2 ]] || die "usage: $0 stop DIR"
    BIN=$(find_bin) || exit 0 # nothing installed, so nothing can be running
    stop "$2"
    ;;
  port)
    [[ $# -ge 2 ]] || die "usage: $0 port DIR"
    BIN=$(find_bin) || exit 1 # nothing installed, so nothing can be running
    port "$2"
    ;;
  *) die "usage: $0 ensure-installed | start DIR PORT [fast] | stop DIR | port DIR" ;;
esac
