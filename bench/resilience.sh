#!/usr/bin/env bash
# Issue 15's two load figures for the Agents app, as deployed (its own process, uat settings, pool of 5):
#
#   outage  GET /api/v1/agents?limit=20 at a steady rate while PostgreSQL is stopped for 10 s and started again:
#           every response must be a 200, or a 503 with Retry-After; the first 200 must come within 1 s of the
#           server's return (PostgreSQL's own "ready to accept connections" log time); the app must not restart.
#   soak    the same route for 60 s at half the rate it reaches flat out (wrk, 32 connections): no errors, and the
#           app's resident memory may grow by 10% or less from the start of the soak to its end.
#
#   bench/resilience.sh
#
# Settings (environment): RATE (outage load, requests/s, default 200), CONNECTIONS (default 32), SOAK_SECONDS
# (default 60), PARTS ("outage soak"). A throwaway PostgreSQL cluster is started under $TMPDIR and removed at the
# end; the load is bench/Plant.Bench.Agents load, which reports every response (wrk does not say when each came).
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rate=${RATE:-200}
connections=${CONNECTIONS:-32}
soak_seconds=${SOAK_SECONDS:-60}
parts=${PARTS:-outage soak}
app_port=${APP_PORT:-18096}
pg_port=${PG_PORT:-18097}
out="${TMPDIR:-/tmp}/plant-bench/resilience"
key=agents-bench-function-key-0123456789
url="http://127.0.0.1:$app_port/api/v1/agents?limit=20"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
mkdir -p "$out"

pid=
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/plant-resilience-pg-XXXXXX")
chmod 777 "$pg_dir"
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  bash "$root/scripts/postgres.sh" stop "$pg_dir/cluster" >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT

DATABASE_URL=$(bash "$root/scripts/postgres.sh" start "$pg_dir/cluster" "$pg_port" fast)
export DATABASE_URL

echo "building the Agents app and bench/Plant.Bench.Agents (Release)" >&2
dotnet build "$root/functions/Agents" -c Release --artifacts-path "$out/app" --nologo -v quiet >&2
dotnet build "$root/bench/Plant.Bench.Agents" -c Release --artifacts-path "$out/bench" --nologo -v quiet >&2
bench="$out/bench/bin/Plant.Bench.Agents/release/Plant.Bench.Agents.dll"
dotnet "$bench" prepare 0 >&2

# The app as its container runs it: uat, the production pool size, timers off (Cloud Scheduler drives them).
PORT=$app_port K_SERVICE=agents-bench PLANT_ENVIRONMENT=uat PLANT_RETENTION_DAYS=30 PLANT_DB_POOL_SIZE=5 \
  PLANT_MASTER_KEY=agents-bench-master-key-0123456789 PLANT_FUNCTION_KEYS=$key PLANT_TIMERS_IN_PROCESS=false \
  ASPNETCORE_HTTP_PORTS='' dotnet "$out/app/bin/Plant.Agents/release/Plant.Agents.dll" >"$out/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null -H "x-functions-key: $key" "$url" && break; sleep 0.1; done
curl -sf -o /dev/null -H "x-functions-key: $key" "$url" || { echo "the app did not answer; see $out/app.log" >&2; exit 1; }
echo "warming up" >&2
wrk -t2 -c"$connections" -d5s -H "x-functions-key: $key" "$url" >/dev/null

now_ms() { date +%s%3N; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }

outage() {
  local started stopped back ready
  dotnet "$bench" load "$url" 30 8 "$rate" >"$out/outage.txt" &
  local load=$!
  sleep 8
  started=$(now_ms)
  bash "$root/scripts/postgres.sh" stop "$pg_dir/cluster"
  stopped=$(now_ms)
  sleep 10
  bash "$root/scripts/postgres.sh" start "$pg_dir/cluster" "$pg_port" fast >/dev/null
  back=$(now_ms)
  wait "$load"
  # PostgreSQL's log line prefix is "%m": milliseconds, local time.
  ready=$(grep 'ready to accept connections' "$pg_dir/cluster/postgres.log" | tail -1 | cut -d' ' -f1-3)
  ready=$(date -d "$ready" +%s%3N)
  kill -0 "$pid" 2>/dev/null || { echo "the app is gone: see $out/app.log" >&2; exit 1; }
  awk -v stop="$started" -v stopped="$stopped" -v ready="$ready" -v back="$back" -v pid="$pid" '
    { n++; status[$2]++ }
    $2 != 200 && $2 != 503 { other++ }
    $2 == 503 && $3 != 1 { bare503++ }
    $1 >= stop && $2 == 503 && ($1 < first503 || !first503) { first503 = $1 }
    $1 >= ready && $2 == 200 && ($1 < first || !first) { first = $1 }
    $1 >= stop && $2 != 200 && $1 > last { last = $1 }
    END {
      printf "responses %d:", n; for (s in status) printf " %s x %d", s, status[s]; printf "\n"
      printf "other than 200 or 503: %d; 503 without Retry-After: %d\n", other, bare503
      printf "stop requested at 0 ms, server stopped at %+d ms, first 503 at %+d ms\n", stopped - stop, first503 - stop
      printf "server ready at %+d ms (pg_ctl start returned at %+d ms); last non-200 at %+d ms\n", ready - stop, back - stop, last - stop
      printf "first 200 after the server was ready: %d ms later; the app (pid %s) ran throughout\n", first - ready, pid
    }' "$out/outage.txt"
}

soak() {
  local max half before after peak samples=()
  max=$(wrk -t2 -c"$connections" -d10s -H "x-functions-key: $key" "$url" | awk '/^Requests\/sec:/ { printf "%.0f", $2 }')
  half=$((max / 2))
  before=$(rss_kb)
  echo "flat out: $max req/s; soak at $half req/s for ${soak_seconds}s, RSS at start $before kB" >&2
  dotnet "$bench" load "$url" "$soak_seconds" "$connections" "$half" >"$out/soak.txt" &
  local load=$!
  while kill -0 "$load" 2>/dev/null; do samples+=("$(rss_kb)"); sleep 1; done
  wait "$load"
  after=$(rss_kb)
  peak=$(printf '%s\n' "${samples[@]}" "$after" | sort -n | tail -1)
  awk -v s="$soak_seconds" -v half="$half" -v max="$max" -v before="$before" -v after="$after" -v peak="$peak" '
    { n++; if ($2 != 200) errors++ }
    END {
      printf "flat out %d req/s; soak %d s at %d req/s asked, %.0f req/s done: %d responses, %d errors\n", max, s, half, n / s, n, errors
      printf "RSS start %d kB, end %d kB (%+.1f%%), peak %d kB (%+.1f%%)\n", before, after, (after - before) / before * 100, peak, (peak - before) / before * 100
    }' "$out/soak.txt"
}

echo "resilience, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), GET /api/v1/agents?limit=20 (seed: 50 agents)"
for part in $parts; do
  echo "== $part"
  "$part"
done
