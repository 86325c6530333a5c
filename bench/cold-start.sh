#!/usr/bin/env bash
# Cold start of a published function app: from process start to the first 200 on its health function.
#
#   bench/cold-start.sh [RUNS]     publish (Release, linux-x64, ReadyToRun, as the Dockerfile does), then measure
#
# Settings (environment):
#   APP=Genesis|Agents|Migrate   the app (default Genesis)
#   BASELINE=0                   do not interleave runs of the baseline: a bare ASP.NET Core minimal API
#                                (bench/Plant.Bench.HostOverhead bare), published with the same flags. Its figures
#                                are the floor the host adds to, and interleaving is what makes the two comparable
#                                on a machine whose speed changes from minute to minute.
#   R2R=false                    publish without ReadyToRun, to see what it buys
#   COMPOSITE=true               publish self-contained, the framework and the app compiled into one composite
#                                ReadyToRun image (not what the Dockerfile does; see docs/BENCHMARKS.md)
#   NO_PUBLISH=1                 reuse the previous publish
#   OUT=folder                   where to publish the app (default: under $TMPDIR/plant-bench), e.g. to keep a "before"
#   BEFORE=folder                also measure, interleaved, an earlier publish of the same app (made with OUT= from
#                                a checkout of an earlier commit, and RUNS 0 to publish only): the "before" of a change
#   Any DOTNET_* variable is passed to the processes (e.g. DOTNET_TieredPGO=0), to try runtime settings.
#
# The app runs as in its container (K_SERVICE, PORT, FUNCTION_TARGET, uat, a master key), through its apphost as
# the image's entrypoint does, from its publish folder, which is its content root as /app is in the image. Its
# DATABASE_URL points to a closed port: connections open lazily and the health function needs none.
#
# The probe is pure bash (/dev/tcp, EPOCHREALTIME, read -t): nothing is forked while the app starts, so the
# measurement neither waits for curl to start nor takes a core from the app. It polls every 2 ms.
# Each run is killed (SIGKILL) once it has answered; runs are sequential and each is bounded by a timeout.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME with a decimal point

runs=${1:-20}
app=${APP:-Genesis}
baseline=${BASELINE:-1}
r2r=${R2R:-true}
composite=${COMPOSITE:-false}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="${TMPDIR:-/tmp}/plant-bench"
variant="r2r-$r2r-composite-$composite"
port=${PORT:-18090}
timeout_s=30
case "$app" in
  Genesis) route=api/v1/genesis/health; target=GenesisHealth ;;
  Agents) route=api/v1/agents/health; target=AgentsHealth ;;
  Migrate) route=api/v1/migrate/health; target=MigrateHealth ;;
  *) echo "APP must be Genesis, Agents or Migrate" >&2; exit 2 ;;
esac
flags=(-c Release -r linux-x64 -p:PublishReadyToRun="$r2r" --self-contained false)
if [[ $composite == true ]]; then
  flags=(-c Release -r linux-x64 -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true --self-contained true)
fi

# Each measured target: name|publish folder|project|route|command (run in the folder).
targets=("$app|${OUT:-$work/cold-start-$app-$variant}|functions/$app|$route|./Plant.$app")
if [[ -n "${BEFORE:-}" ]]; then
  targets+=("before|$BEFORE|functions/$app|$route|./Plant.$app")
fi
if [[ $baseline == 1 ]]; then
  targets+=("bare|$work/cold-start-bare-$variant|bench/Plant.Bench.HostOverhead|api/hello|./Plant.Bench.HostOverhead bare $port")
fi

if [[ -z "${NO_PUBLISH:-}" ]]; then
  for t in "${targets[@]}"; do
    IFS='|' read -r name out project _ _ <<<"$t"
    [[ $name == before ]] && continue # published from the earlier commit's checkout
    rm -rf "$out"
    echo "publishing $project (${flags[*]}) to $out" >&2
    started=$EPOCHREALTIME
    # Intermediate files go beside the output, so a benchmark never disturbs the checkout's bin/ and obj/.
    dotnet publish "$root/$project" "${flags[@]}" --artifacts-path "$out.artifacts" -o "$out" --nologo -v quiet >&2
    echo "published $name in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s" >&2
  done
fi

[[ $runs -gt 0 ]] || exit 0 # RUNS 0: publish only

export K_SERVICE=genesis-bench PORT="$port" FUNCTION_TARGET="$target" PLANT_ENVIRONMENT=uat PLANT_RETENTION_DAYS=30 \
  PLANT_MASTER_KEY=cold-start-bench-master-key-0123456789 ASPNETCORE_HTTP_PORTS='' \
  DATABASE_URL="Host=127.0.0.1;Port=1;Username=bench;Database=bench"
unset PLANT_FUNCTION_KEYS PLANT_TIMERS_IN_PROCESS
# Genesis and Migrate sign (certificates, audit heads): a throwaway key, made once, outside the timed starts.
signing_key=$(mktemp)
trap 'rm -f "$signing_key"' EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$signing_key" 2>/dev/null
export PLANT_SIGNING_KEY_FILE="$signing_key" PLANT_SIGNING_KEY_ID=cold-start-bench PLANT_SIGNING_KEY_BITS=2048

# read -t on a pipe that never has data: a sleep without forking sleep(1).
exec {pause}<> <(:)

# One request with HTTP/1.0 (the server closes after answering); sets status to the status line, or "".
# A global rather than $(...): command substitution would fork.
status=
probe() {
  status=
  { exec {conn}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
  printf 'GET /%s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&"$conn"
  IFS= read -r -t 5 status <&"$conn" || true
  exec {conn}>&-
}

probe healthz
if [[ -n "$status" ]]; then
  echo "something already answers on port $port; set PORT" >&2
  exit 1
fi

hz=$(getconf CLK_TCK)
declare -A times cpus

# Starts the command in the folder, polls the route until a 200, and records the elapsed wall time and the CPU
# time the process used up to then (user + system, all threads, in 10 ms ticks). CPU time is less sensitive
# than wall time to other processes on the machine, though not immune: a busy host slows the CPU itself.
measure() {
  local name=$1 folder=$2 path=$3 command=$4 start deadline now end pid stat ms cpu
  start=$EPOCHREALTIME
  deadline=$((${start/./} + timeout_s * 1000000))
  # shellcheck disable=SC2086 # the command is a word list on purpose
  (cd "$folder" && exec $command >/dev/null 2>&1) &
  pid=$!
  status=
  while [[ "$status" != *" 200 "* ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name: the app exited before answering; run it by hand in $folder to see why" >&2
      exit 1
    fi
    now=$EPOCHREALTIME
    if ((${now/./} > deadline)); then
      kill -KILL "$pid"
      echo "$name: no 200 within ${timeout_s}s" >&2
      exit 1
    fi
    probe "$path"
    [[ "$status" == *" 200 "* ]] || read -r -t 0.002 -u "$pause" || true
  done
  end=$EPOCHREALTIME
  read -r -a stat <"/proc/$pid/stat"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  ms=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
  cpu=$(((stat[13] + stat[14]) * 1000 / hz))
  times[$name]+="$ms "
  cpus[$name]+="$cpu "
  echo "$name: $ms ms (CPU $cpu ms)" >&2
}

for ((i = 1; i <= runs; i++)); do
  for t in "${targets[@]}"; do
    IFS='|' read -r name out _ path command <<<"$t"
    measure "$name" "$out" "$path" "$command"
  done
done

stats() {
  tr ' ' '\n' | grep . | sort -n | awk '
    { t[NR] = $1 }
    END {
      n = NR; i90 = int(0.9 * n + 0.999999)
      printf "%.0f %.0f %.0f %.0f", (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2, t[i90], t[1], t[n]
    }'
}

echo
echo "cold start, process start to first 200: $runs runs each, interleaved; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "publish: ${flags[*]}"
declare -A medians
for t in "${targets[@]}"; do
  IFS='|' read -r name _ <<<"$t"
  read -r p50 p90 min max <<<"$(stats <<<"${times[$name]}")"
  read -r cpu50 _ cpumin _ <<<"$(stats <<<"${cpus[$name]}")"
  medians[$name]=$p50
  printf '%-8s median %5s ms   p90 %5s ms   min %5s ms   max %5s ms   CPU median %5s ms (min %s ms)\n' \
    "$name" "$p50" "$p90" "$min" "$max" "$cpu50" "$cpumin"
done
if [[ $baseline == 1 ]]; then
  awk -v a="${medians[$app]}" -v b="${medians[bare]}" -v app="$app" \
    'BEGIN { printf "%s - bare: %+.0f ms (%+.0f%%) on the medians\n", app, a - b, (a - b) / b * 100 }'
fi
if [[ -n "${BEFORE:-}" ]]; then
  awk -v a="${medians[$app]}" -v b="${medians[before]}" -v app="$app" \
    'BEGIN { printf "%s - before: %+.0f ms (%+.1f%%) on the medians\n", app, a - b, (a - b) / b * 100 }'
fi
