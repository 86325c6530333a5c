#!/usr/bin/env bash
# Cold start of a published function app: from process start to the first 200 on its health function.
#
#   bench/cold-start.sh [RUNS]            publish (Release, linux-x64, ReadyToRun, as the Dockerfile) and measure
#
# Settings (environment):
#   APP=Genesis|Agents|Migrate   the app (default Genesis); APP=bare measures a bare ASP.NET Core minimal API
#                                (bench/Plant.Bench.HostOverhead bare), the floor the host adds to
#   R2R=false                    publish without ReadyToRun, to see what it buys
#   COMPOSITE=true               publish self-contained with the framework and the app compiled into one composite
#                                ReadyToRun image (not what the Dockerfile does; see docs/BENCHMARKS.md)
#   NO_PUBLISH=1                 reuse the previous publish
#   OUT=folder                   where to publish (default: under $TMPDIR/plant-bench), e.g. to keep a "before"
#   Any DOTNET_* variable is passed to the app (e.g. DOTNET_TieredPGO=0), to try runtime settings.
#
# The app runs as in its container (K_SERVICE, PORT, FUNCTION_TARGET, uat, a master key) from its publish folder,
# which is its content root as /app is in the image. Its DATABASE_URL points to a closed port: connections open
# lazily and the health function needs none, so no database is started.
#
# The probe is pure bash (/dev/tcp, EPOCHREALTIME, read -t): no process is forked while the app starts, so the
# measurement neither waits for curl to start nor takes a core from the app. It polls every 2 ms.
# Each run is killed (SIGKILL) once it has answered; runs are sequential and each is bounded by a timeout.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME with a decimal point

runs=${1:-20}
app=${APP:-Genesis}
r2r=${R2R:-true}
composite=${COMPOSITE:-false}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-"${TMPDIR:-/tmp}/plant-bench/cold-start-$app-r2r-$r2r-composite-$composite"}
port=${PORT:-18090}
timeout_s=30
case "$app" in
  Genesis) route=api/v1/genesis/health; target=GenesisHealth ;;
  Agents) route=api/v1/agents/health; target=AgentsHealth ;;
  Migrate) route=api/v1/migrate/health; target=MigrateHealth ;;
  bare) route=api/hello; target= ;;
  *) echo "APP must be Genesis, Agents, Migrate or bare" >&2; exit 2 ;;
esac
if [[ $app == bare ]]; then
  project="$root/bench/Plant.Bench.HostOverhead"
  command=(./Plant.Bench.HostOverhead bare "$port")
else
  project="$root/functions/$app"
  # The apphost, as the image's entrypoint runs it.
  command=("./Plant.$app")
fi
flags=(-c Release -r linux-x64 -p:PublishReadyToRun="$r2r" --self-contained false)
if [[ $composite == true ]]; then
  flags=(-c Release -r linux-x64 -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true --self-contained true)
fi

if [[ -z "${NO_PUBLISH:-}" ]]; then
  rm -rf "$out"
  echo "publishing ${project#"$root/"} (${flags[*]}) to $out" >&2
  started=$EPOCHREALTIME
  # Intermediate files go beside the output, so a benchmark never disturbs the checkout's bin/ and obj/.
  dotnet publish "$project" "${flags[@]}" --artifacts-path "$out.artifacts" -o "$out" --nologo -v quiet >&2
  echo "published in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s" >&2
fi

export K_SERVICE=genesis-bench PORT="$port" FUNCTION_TARGET="$target" PLANT_ENVIRONMENT=uat \
  PLANT_MASTER_KEY=cold-start-bench-master-key-0123456789 ASPNETCORE_HTTP_PORTS= \
  DATABASE_URL="Host=127.0.0.1;Port=1;Username=bench;Database=bench"
unset PLANT_FUNCTION_KEYS PLANT_TIMERS_IN_PROCESS

# read -t on a pipe that never has data: a sleep without forking sleep(1).
exec {pause}<> <(:)

# One request with HTTP/1.0 (the server closes after answering); sets status to the status line, or "".
# A global rather than $(...): command substitution would fork.
status=
probe() {
  status=
  { exec {conn}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
  printf 'GET /%s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$route" >&"$conn"
  IFS= read -r -t 5 status <&"$conn" || true
  exec {conn}>&-
}

probe
if [[ -n "$status" ]]; then
  echo "something already answers on port $port; set PORT" >&2
  exit 1
fi

to_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }

times=()
cpus=()
hz=$(getconf CLK_TCK)
cd "$out"
for ((i = 1; i <= runs; i++)); do
  start=$EPOCHREALTIME
  deadline=$((${start/./} + timeout_s * 1000000))
  "${command[@]}" >/dev/null 2>&1 &
  pid=$!
  status=
  while [[ "$status" != *" 200 "* ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run $i: the app exited before answering; run it by hand in $out to see why" >&2
      exit 1
    fi
    now=$EPOCHREALTIME
    if ((${now/./} > deadline)); then
      kill -KILL "$pid"
      echo "run $i: no 200 within ${timeout_s}s" >&2
      exit 1
    fi
    probe
    [[ "$status" == *" 200 "* ]] || read -r -t 0.002 -u "$pause" || true
  done
  end=$EPOCHREALTIME
  # The CPU time the app used up to its first answer (user + system, all threads; 10 ms ticks): unlike the
  # wall time, it hardly grows when other processes share the machine.
  read -r -a stat <"/proc/$pid/stat"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  ms=$(to_ms "$start" "$end")
  cpu=$(((stat[13] + stat[14]) * 1000 / hz))
  times+=("$ms")
  cpus+=("$cpu")
  echo "run $i: $ms ms (CPU $cpu ms)" >&2
done

median_cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
printf '%s\n' "${times[@]}" | sort -n | awk -v app="$app" -v r2r="$r2r$([[ $composite == true ]] && echo ", self-contained composite")" -v cpu="$median_cpu" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" '
  { t[NR] = $1 }
  END {
    n = NR
    p50 = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
    i90 = int(0.9 * n + 0.999999); if (i90 < 1) i90 = 1
    printf "cold start %s (ReadyToRun=%s), %d runs: median %.0f ms, p90 %.0f ms, min %.0f ms, max %.0f ms; median CPU %.0f ms (load average %s)\n", app, r2r, n, p50, t[i90], t[1], t[n], cpu, load
  }'
