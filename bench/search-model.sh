#!/usr/bin/env bash
# The search model's quality and memory (issue 18; figures in docs/BENCHMARKS.md, "Semantic search"):
#   1. recall@5 and MRR of bench/Plant.Bench.Agents/relevance.tsv (66 queries over the seed), MiniLM and hashing;
#   2. RSS of the Agents app (Release build) once /readyz says search is ready, and after 1,000 searches, per embedder.
#
#   bench/search-model.sh
#
# A throwaway PostgreSQL cluster is started under $TMPDIR and removed at the end, with the app.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pg_port=${PG_PORT:-18195}
app_port=${APP_PORT:-18196}
work=$(mktemp -d "${TMPDIR:-/tmp}/plant-search-model-XXXXXX")
chmod 777 "$work"
pid=
cleanup() {
  [[ -z $pid ]] || { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  bash "$root/scripts/postgres.sh" stop "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

DATABASE_URL=$(bash "$root/scripts/postgres.sh" start "$work/cluster" "$pg_port" fast)
export DATABASE_URL
dotnet build "$root/bench/Plant.Bench.Agents" -c Release -nologo -v quiet >/dev/null
dotnet build "$root/functions/Agents" -c Release -nologo -v quiet >/dev/null
bench="$root/bench/Plant.Bench.Agents/bin/Release/net10.0/Plant.Bench.Agents.dll"
dotnet "$bench" prepare 0 >/dev/null
dotnet "$bench" relevance

rss() { awk '/^VmRSS/ { printf "%d MB", $2 / 1024 }' "/proc/$1/status"; }
for embedder in minilm hashing; do
  PLANT_EMBEDDER=$embedder PORT=$app_port PLANT_LOCAL_DIR="$work/local" \
    "$root/functions/Agents/bin/Release/net10.0/Plant.Agents" >"$work/app.log" 2>&1 &
  pid=$!
  for _ in $(seq 240); do
    [[ $(curl -s "localhost:$app_port/readyz" || true) == *'"search":"ready"'* ]] && break
    sleep 0.25
  done
  loaded=$(rss "$pid")
  key=$(cat "$work/local/keys/function.key")
  for i in $(seq 1000); do
    curl -s -o /dev/null -H "x-functions-key: $key" "localhost:$app_port/api/v1/agents/search?q=protect+our+bank+from+fraudsters+$i"
  done
  echo "Agents app RSS, $embedder: $loaded when search is ready, $(rss "$pid") after 1,000 searches"
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
done
