#!/usr/bin/env bash
# The catalog read path against the Node.js peer: the Agents app's Native AOT executable (as its image runs it, with
# its read model) and the peer Google Cloud Function that runs Plant's own SQL (../shared/peers/node-agents, with
# pg), on one private PostgreSQL with the same pool size (5) and session settings. The list route
# (GET /api/v1/agents?limit=20) and the item route (GET /api/v1/agents/{id}), at the seed's 50 agents and with
# 10,000 generated ones more; at each size quiet, then while the Genesis executable writes one amendment a second.
# wrk -t2 -c32, rounds interleaved (A B, B A, A B), after a warm-up of each side; medians of requests/s and p99.
#
#   bench/peer-load.sh
#
# Settings (environment): ROUNDS=3, DURATION=10s, EXTRA="0 10000" (generated agents on top of the seed, one catalog
# per value, in that order), PEER_DIR (default ../shared/peers/node-agents beside the checkout), PG_PORT=18195.
# Needs wrk, node and npm (the peer's packages are installed with `npm ci` in a copy under the work folder).
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${ROUNDS:-3}
duration=${DURATION:-10s}
extras=${EXTRA:-0 10000}
peer_src=${PEER_DIR:-$root/../shared/peers/node-agents}
pg_port=${PG_PORT:-18195}
plant_port=18196 genesis_port=18197 list_port=18198 item_port=18199
work="${TMPDIR:-/tmp}/plant-bench/peer-load"
key=peer-load-bench-master-key-0123456789
mkdir -p "$work"
for tool in wrk node npm psql; do command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }; done

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash "$root/scripts/postgres.sh" stop "$work/postgres" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- the executables, the peer, the database ---
agents=$(bash "$root/scripts/publish-aot.sh" Agents)
genesis=$(bash "$root/scripts/publish-aot.sh" Genesis)
rm -rf "$work/peer" && cp -r "$peer_src" "$work/peer"
(cd "$work/peer" && npm ci --no-audit --no-fund --silent >&2)
echo "building bench/Plant.Bench.Agents (Release), which migrates, seeds and generates agents" >&2
dotnet build "$root/bench/Plant.Bench.Agents" -c Release --artifacts-path "$work/build" --nologo -v quiet >&2
prepare="$work/build/bin/Plant.Bench.Agents/release/Plant.Bench.Agents.dll"
connection=$(bash "$root/scripts/postgres.sh" start "$work/postgres" "$pg_port" fast)
psql "postgresql://postgres@127.0.0.1:$pg_port/postgres" -qc "drop database if exists plant with (force)" -c "create database plant"
export DATABASE_URL="${connection/Database=postgres/Database=plant}"
pg_url="postgresql://postgres@127.0.0.1:$pg_port/plant"
sql() { psql -At "$pg_url" -c "$1"; }

# Both sides as they run in production: pool of 5, PostgreSQL's JIT off (Plant adds jit=off to every session).
export K_SERVICE=peer-load-bench PLANT_ENVIRONMENT=uat PLANT_RETENTION_DAYS=30 PLANT_MASTER_KEY=$key ASPNETCORE_HTTP_PORTS='' \
  PLANT_CLOUDSQL_INSTANCE=bench:region:instance PLANT_DB_POOL_SIZE=5 PLANT_EMBEDDER=hashing
signing_key=$work/signing.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$signing_key" 2>/dev/null
start() { # name folder command port
  (cd "$2" && PORT=$4 exec $3 >"$work/$1.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$4/healthz" && return 0; sleep 0.1; done
  echo "$1 did not start; see $work/$1.log" >&2
  exit 1
}
start_peer() { # name port sql params options
  (cd "$work/peer" && PORT=$2 FUNCTION_TARGET=agents PEER_POOL=5 PEER_SQL="$(cat "$work/peer/$3")" PEER_PARAMS=$4 \
    PEER_DATABASE_URL="$pg_url?options=$5" exec node node_modules/@google-cloud/functions-framework/build/src/main.js >"$work/$1.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$2/" && return 0; sleep 0.1; done
}

# requests/s and p99 (ms) of one wrk run; any non-2xx answer stops the bench.
load() {
  wrk -t2 -c32 -d"$2" --latency -H "x-functions-key: $key" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000; if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0; return substr(v, 1, length(v) - 1) * 1000 }
    /^Requests\/sec:/ { rps = $2 } $1 == "99%" { p99 = ms($2) } /Non-2xx or 3xx responses/ { bad = $NF }
    END { if (bad > 0) { print "non-2xx answers: " bad > "/dev/stderr"; exit 1 } printf "%.0f %.1f\n", rps, p99 }'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One amendment a second through the Genesis executable, of one agent of its own, until killed.
writer() {
  local draft id version=1 i=0
  draft() { printf '{"name":"Peer load writer","description":"Watches card payments around the clock, pass %s, and blocks transactions that look like account takeover.","industryId":"%s","jobRoleId":"%s","skillIds":["%s"],"availability":"available","pricePerHour":42.5,"currency":"USD"}' \
    "$1" "$(sql "select entity_id from catalog.entity_version where is_current and entity_type = 'industry' and name = 'Financial Services'")" \
    "$(sql "select entity_id from catalog.entity_version where is_current and entity_type = 'job_role' and name = 'Fraud Analyst'")" \
    "$(sql "select entity_id from catalog.entity_version where is_current and entity_type = 'skill' and name = 'Fraud Detection'")"; }
  id=$(sql "select entity_id from catalog.entity_version where is_current and entity_type = 'agent' and name = 'Peer load writer'")
  if [[ -z $id ]]; then
    id=$(curl -sf -X POST -H "x-functions-key: $key" -H 'content-type: application/json' --data "$(draft 0)" \
      "http://127.0.0.1:$genesis_port/api/v1/genesis/agents" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
  fi
  while true; do
    i=$((i + 1))
    curl -sf -o /dev/null -X POST -H "x-functions-key: $key" -H 'content-type: application/json' -H 'If-Match: *' \
      --data "$(draft "$i")" "http://127.0.0.1:$genesis_port/api/v1/genesis/agents/$id/amendments" || echo "amendment $i failed" >&2
    sleep 1
  done
}

start plant "$agents" ./Plant.Agents "$plant_port"
PLANT_SIGNING_KEY_FILE=$signing_key PLANT_SIGNING_KEY_ID=peer-load-bench PLANT_SIGNING_KEY_BITS=2048 start genesis "$genesis" ./Plant.Genesis "$genesis_port"
summary=()
for extra in $extras; do
  dotnet "$prepare" prepare "$extra" >&2
  count=$(sql "select count(*) from catalog.entity_version where is_current and entity_type = 'agent'")
  agent=$(sql "select entity_id from catalog.entity_version where is_current and entity_type = 'agent' and status = 'active' and certification_status = 'certified' order by entity_id limit 1")
  # The peer is restarted for each catalog, so that its prepared statements are planned for it.
  start_peer peer-list "$list_port" list.sql f_lifecycle,take "-c%20jit%3Doff"
  start_peer peer-item "$item_port" item.sql ids,f_lifecycle "-c%20jit%3Doff%20-c%20plan_cache_mode%3Dforce_generic_plan"
  for writes in quiet writing; do
    writer_pid=
    if [[ $writes == writing ]]; then writer & writer_pid=$!; fi
    for route in list item; do
      if [[ $route == list ]]; then
        plant="http://127.0.0.1:$plant_port/api/v1/agents?limit=20" peer="http://127.0.0.1:$list_port/?f_lifecycle=%7Bactive%7D&take=20"
      else
        plant="http://127.0.0.1:$plant_port/api/v1/agents/$agent" peer="http://127.0.0.1:$item_port/?ids=%7B$agent%7D&f_lifecycle=%7Bactive%7D"
      fi
      load "$plant" 5s >/dev/null
      load "$peer" 5s >/dev/null
      declare -A rps=() p99=()
      for ((i = 1; i <= rounds; i++)); do
        order="plant peer"
        ((i % 2)) || order="peer plant"
        for side in $order; do
          url=$plant
          [[ $side == peer ]] && url=$peer
          read -r r p < <(load "$url" "$duration")
          rps[$side]+="$r " p99[$side]+="$p "
          echo "$count agents, $writes, $route round $i $side: $r req/s, p99 $p ms" >&2
        done
      done
      pr=$(median <<<"${rps[plant]}") nr=$(median <<<"${rps[peer]}") pp=$(median <<<"${p99[plant]}") np=$(median <<<"${p99[peer]}")
      summary+=("$(printf '%6s agents  %-7s  %-4s  Plant %6s req/s p99 %6s ms   peer %6s req/s p99 %6s ms   Plant/peer %5.2fx' \
        "$count" "$writes" "$route" "$pr" "$pp" "$nr" "$np" "$(awk -v a="$pr" -v b="$nr" 'BEGIN { print a / b }')")")
    done
    if [[ -n $writer_pid ]]; then kill "$writer_pid"; wait "$writer_pid" 2>/dev/null || true; fi
  done
  kill "${pids[-1]}" "${pids[-2]}"
done

echo
echo "Agents (Native AOT, read model) against the Node peer: wrk -t2 -c32 -d$duration, $rounds rounds interleaved, medians; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${summary[@]}"
grep -h "read model" "$work/plant.log" | tail -2 >&2 || true
