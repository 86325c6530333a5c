#!/usr/bin/env bash
# Host overhead: a trivial HTTP function on the Plant host against the same endpoint as a bare ASP.NET Core
# minimal API, side by side in one process (bench/Plant.Bench.HostOverhead), loaded alternately with wrk.
#
#   bench/host-overhead.sh            both modes: quiet (no per-request logs on either) and logs (host defaults)
#   MODES=quiet bench/host-overhead.sh
#
# Settings (environment): DURATION (seconds per run, default 5), CONNECTIONS (default 8), ROUNDS (alternations,
# default 6), WARMUP (seconds per side, twice, default 5), MODES ("quiet logs"), KEYED=1 also compares a
# function-level function called with a key. Many short alternations rather than a few long ones: this machine's
# speed drifts from minute to minute, and both sides then see the same drift.
# Loopback only (127.0.0.1); every wrk run is bounded by DURATION; the bench process is stopped at the end.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
duration=${DURATION:-5}
connections=${CONNECTIONS:-8}
rounds=${ROUNDS:-6}
warmup=${WARMUP:-5}
modes=${MODES:-quiet logs}
bare_port=${BARE_PORT:-18091}
plant_port=${PLANT_PORT:-18092}
out="${TMPDIR:-/tmp}/plant-bench/host-overhead"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

echo "building bench/Plant.Bench.HostOverhead (Release)" >&2
# Intermediate files outside the checkout, so that the benchmark never disturbs its bin/ and obj/.
dotnet build "$root/bench/Plant.Bench.HostOverhead" -c Release --artifacts-path "$out" --nologo -v quiet >&2
dll="$out/bin/Plant.Bench.HostOverhead/release/Plant.Bench.HostOverhead.dll"

pid=
stop() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  pid=
}

wait_for() {
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "$1 did not answer" >&2
  exit 1
}

# CPU time (user + system, in clock ticks) the bench process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

# Runs wrk; prints "requests/s p50_ms p99_ms cpu_us_per_request". The CPU time the bench process spends per
# request is what the hosts cost; unlike requests/s, it hardly changes when other work shares the machine.
load() {
  local url=$1 seconds=$2 header=${3:-}
  local args=(-t1 -c"$connections" -d"${seconds}s" --latency)
  [[ -n "$header" ]] && args+=(-H "$header")
  local before report
  before=$(cpu_ticks)
  report=$(wrk "${args[@]}" "$url")
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

# The content root is the working folder; an empty one, since ASP.NET Core watches it for configuration changes.
workdir=$(mktemp -d)
trap 'stop; rm -rf "$workdir"' EXIT
results=()
for mode in $modes; do
  stop
  (cd "$workdir" && exec dotnet "$dll" "$bare_port" "$plant_port" "$mode" >/dev/null 2>"$out/bench-$mode.stderr") &
  pid=$!
  wait_for "http://127.0.0.1:$bare_port/api/hello"
  wait_for "http://127.0.0.1:$plant_port/api/hello"

  pairs=("hello|")
  [[ -n "${KEYED:-}" ]] && pairs+=("hello-key|x-functions-key: host-overhead-bench-function-key-0123456789")
  for pair in "${pairs[@]}"; do
    path=${pair%%|*}
    header=${pair#*|}
    # Warm-up: tiered compilation (with its instrumented tier) promotes the hot methods of both paths to their
    # final code before anything is measured; on a busy machine that takes seconds.
    for _ in 1 2; do
      load "http://127.0.0.1:$bare_port/api/$path" "$warmup" "$header" >/dev/null
      load "http://127.0.0.1:$plant_port/api/$path" "$warmup" "$header" >/dev/null
    done
    for ((round = 1; round <= rounds; round++)); do
      for side in bare plant; do
        port=$bare_port
        [[ $side == plant ]] && port=$plant_port
        read -r rps p50 p99 cpu < <(load "http://127.0.0.1:$port/api/$path" "$duration" "$header")
        echo "$mode $path round $round $side: $rps req/s, p50 $p50 ms, p99 $p99 ms, $cpu us CPU/request" >&2
        results+=("$mode $path $side $rps $p50 $p99 $cpu")
      done
    done
  done
done
stop

echo
echo "host overhead, $(nproc) cores, wrk -t1 -c$connections, ${duration}s x $rounds rounds per side, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s\n' "${results[@]}" | awk '
  { key = $1 " " $2; sides[key] = 1; n[key, $3]++; rps[key, $3] += $4; p50[key, $3] += $5; p99[key, $3] += $6; cpu[key, $3] += $7 }
  END {
    printf "%-16s %10s %10s %8s %9s %9s %9s %9s %9s %8s %8s %9s\n", "mode endpoint", "bare rps", "plant rps", "rps diff",
      "bare p50", "plant p50", "bare p99", "plant p99", "bare CPU", "plant CPU", "CPU diff", ""
    for (key in sides) {
      b = rps[key, "bare"] / n[key, "bare"]; p = rps[key, "plant"] / n[key, "plant"]
      bc = cpu[key, "bare"] / n[key, "bare"]; pc = cpu[key, "plant"] / n[key, "plant"]
      printf "%-16s %10.0f %10.0f %+7.1f%% %7.3fms %7.3fms %7.3fms %7.3fms %7.1fus %7.1fus %+7.1f%%\n", key, b, p, (p - b) / b * 100,
        p50[key, "bare"] / n[key, "bare"], p50[key, "plant"] / n[key, "plant"],
        p99[key, "bare"] / n[key, "bare"], p99[key, "plant"] / n[key, "plant"], bc, pc, (pc - bc) / bc * 100
    }
  }'
