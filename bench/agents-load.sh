#!/usr/bin/env bash
# Issue 5's load figures: GET /api/v1/agents with two filters and 20 items, and GET /api/v1/agents/{id}, at 32
# connections, on the Plant host (the Agents app) and on a bare ASP.NET Core minimal API running the same Plant.Core
# queries, side by side in one process (bench/Plant.Bench.Agents serve), loaded alternately with wrk. Then the
# search benchmark (10,000 generated agents, array path).
#
#   bench/agents-load.sh
#
# Settings (environment): DURATION (seconds per run, default 10), CONNECTIONS (default 32), ROUNDS (alternations,
# default 4), WARMUP (seconds per side, twice, default 5), MODES ("quiet logs": quiet = neither side writes a line per
# request, the fair comparison of the request paths; logs = the host's default Information lines), EXTRA (generated
# agents on top of the seed, default 10000), SEARCH_ITERATIONS (default 300; 0 skips the search benchmark),
# PLANT_DB_POOL_SIZE (both sides, default 5 as in production), DATABASE_URL (an existing, empty or prepared
# database; by default a throwaway PostgreSQL cluster is started under $TMPDIR and removed at the end).
# Loopback only; every wrk run is bounded by DURATION; the bench process and the cluster are stopped at the end.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${DURATION:-10}
connections=${CONNECTIONS:-32}
rounds=${ROUNDS:-4}
warmup=${WARMUP:-5}
modes=${MODES:-quiet logs}
extra=${EXTRA:-10000}
search_iterations=${SEARCH_ITERATIONS:-300}
bare_port=${BARE_PORT:-18093}
plant_port=${PLANT_PORT:-18094}
pg_port=${PG_PORT:-18095}
out="${TMPDIR:-/tmp}/plant-bench/agents-load"
export PLANT_DB_POOL_SIZE=${PLANT_DB_POOL_SIZE:-5}
key=agents-bench-function-key-0123456789

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
mkdir -p "$out"

pid=
pg_dir=
stop() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=
}
cleanup() {
  stop
  if [[ -n "$pg_dir" ]]; then
    bash "$root/scripts/postgres.sh" stop "$pg_dir/cluster" >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

if [[ -z "${DATABASE_URL:-}" ]]; then
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/plant-agents-load-pg-XXXXXX")
  chmod 777 "$pg_dir"
  DATABASE_URL=$(bash "$root/scripts/postgres.sh" start "$pg_dir/cluster" "$pg_port" fast)
fi
export DATABASE_URL

echo "building bench/Plant.Bench.Agents (Release)" >&2
dotnet build "$root/bench/Plant.Bench.Agents" -c Release --artifacts-path "$out/build" --nologo -v quiet >&2
dll="$out/build/bin/Plant.Bench.Agents/release/Plant.Bench.Agents.dll"

echo "preparing the database (migrate, seed, $extra generated agents)" >&2
ids=$(dotnet "$dll" prepare "$extra")
echo "$ids" >&2
industry=$(sed -n 's/.*industry=\([^ ]*\).*/\1/p' <<<"$ids")
skill=$(sed -n 's/.*skill=\([^ ]*\).*/\1/p' <<<"$ids")
agent=$(sed -n 's/.*agent=\([^ ]*\).*/\1/p' <<<"$ids")

wait_for() {
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null -H "x-functions-key: $key" "$1" && return 0
    sleep 0.1
  done
  echo "$1 did not answer" >&2
  exit 1
}

# CPU time (user + system, in clock ticks) the bench process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

# Runs wrk; prints "requests/s p50_ms p99_ms cpu_us_per_request" (CPU of the bench process, both sides' hosts).
load() {
  local url=$1 seconds=$2
  local before report
  before=$(cpu_ticks)
  report=$(wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s --latency -H "x-functions-key: $key" "$url")
  awk -v ticks=$(($(cpu_ticks) - before)) -v hz="$(getconf CLK_TCK)" '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    / requests in / { requests = $1 }
    /Non-2xx or 3xx responses/ { bad = $NF }
    /Socket errors/ { errors = $0 }
    END {
      if (bad > 0 || errors != "") { printf "wrk: %s non-2xx, %s\n", bad + 0, errors > "/dev/stderr"; exit 1 }
      printf "%.0f %.3f %.3f %.1f\n", rps, p50, p99, ticks / hz * 1e6 / requests
    }' <<<"$report"
}

list="api/v1/agents?industry=$industry&skill=$skill&limit=20"
item="api/v1/agents/$agent"

workdir=$(mktemp -d)
results=()
for mode in $modes; do
  stop
  (cd "$workdir" && exec dotnet "$dll" serve "$bare_port" "$plant_port" "$mode" >/dev/null 2>"$out/serve-$mode.stderr") &
  pid=$!
  wait_for "http://127.0.0.1:$bare_port/$item"
  wait_for "http://127.0.0.1:$plant_port/$item"
  count=$(curl -sf -H "x-functions-key: $key" "http://127.0.0.1:$plant_port/$list" | grep -o '"availability"' | wc -l)
  echo "$mode: the filtered list answers $count items" >&2

  for endpoint in list item; do
    path=$list
    [[ $endpoint == item ]] && path=$item
    for _ in 1 2; do
      load "http://127.0.0.1:$bare_port/$path" "$warmup" >/dev/null
      load "http://127.0.0.1:$plant_port/$path" "$warmup" >/dev/null
    done
    for ((round = 1; round <= rounds; round++)); do
      for side in bare plant; do
        port=$bare_port
        [[ $side == plant ]] && port=$plant_port
        read -r rps p50 p99 cpu < <(load "http://127.0.0.1:$port/$path" "$duration")
        echo "$mode $endpoint round $round $side: $rps req/s, p50 $p50 ms, p99 $p99 ms, $cpu us CPU/request" >&2
        results+=("$mode $endpoint $side $rps $p50 $p99 $cpu")
      done
    done
  done
done
stop
rm -rf "$workdir"

echo
echo "agents load, $(nproc) cores, wrk -t1 -c$connections, ${duration}s x $rounds rounds per side, pool $PLANT_DB_POOL_SIZE, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "list = GET /$list (20 items); item = GET /api/v1/agents/{id}"
printf '%s\n' "${results[@]}" | awk '
  { key = $1 " " $2; sides[key] = 1; n[key, $3]++; rps[key, $3] += $4; p50[key, $3] += $5; p99[key, $3] += $6; cpu[key, $3] += $7 }
  END {
    printf "%-12s %9s %9s %8s %9s %9s %9s %9s %9s %9s %8s\n", "mode route", "bare rps", "plant rps", "rps diff",
      "bare p50", "plant p50", "bare p99", "plant p99", "bare CPU", "plant CPU", "CPU diff"
    for (key in sides) {
      b = rps[key, "bare"] / n[key, "bare"]; p = rps[key, "plant"] / n[key, "plant"]
      bc = cpu[key, "bare"] / n[key, "bare"]; pc = cpu[key, "plant"] / n[key, "plant"]
      printf "%-12s %9.0f %9.0f %+7.1f%% %7.2fms %7.2fms %7.2fms %7.2fms %7.0fus %7.0fus %+7.1f%%\n", key, b, p, (p - b) / b * 100,
        p50[key, "bare"] / n[key, "bare"], p50[key, "plant"] / n[key, "plant"],
        p99[key, "bare"] / n[key, "bare"], p99[key, "plant"] / n[key, "plant"], bc, pc, (pc - bc) / bc * 100
    }
  }'

if [[ "$search_iterations" -gt 0 ]]; then
  echo
  dotnet "$dll" search "$search_iterations"
fi
