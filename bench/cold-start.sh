#!/usr/bin/env bash
# Cold start and memory of the function apps, as their images run them: from exec to the first 200 on a route that
# reads the database, for each app's Native AOT executable (the image's, scripts/publish-aot.sh), its
# framework-dependent build (ReadyToRun on the JIT, the image before Native AOT) and a bare ASP.NET Core minimal
# API reading the same database (bench/Plant.Bench.Bare, Native AOT; "hello" is the same app on a route that does
# not read the database, the floor of ASP.NET Core's own start), all interleaved in one run. Then each one's
# resident memory after start, idle, and after 10,000 requests; and the Agents list route's throughput, AOT and
# JIT side by side.
#
#   bench/cold-start.sh [RUNS]      RUNS starts of each (default 20)
#
# Settings (environment): APPS="Genesis Agents Migrate" (the default), THROUGHPUT=0 to skip the throughput
# rounds, ROUNDS=3 throughput rounds of DURATION=10s each, PORT=18090 (the apps'), PG_PORT=18432.
#
# A private PostgreSQL (scripts/postgres.sh) is migrated and seeded by the Migrate executable. Each app runs as a
# uat container (K_SERVICE, PORT, a master key, DATABASE_URL), from its publish folder.
# The probe is pure bash (/dev/tcp, EPOCHREALTIME, read -t): nothing is forked while the app starts, so the
# measurement neither waits for curl to start nor takes a core from the app. It polls every 2 ms.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME with a decimal point

runs=${1:-20}
apps=${APPS:-Genesis Agents Migrate}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work="${TMPDIR:-/tmp}/plant-bench/cold-start"
port=${PORT:-18090}
pg_port=${PG_PORT:-18432}
timeout_s=30
master=cold-start-bench-master-key-0123456789
mkdir -p "$work"

# --- builds: the AOT executables (cached by content), the framework-dependent ones (published each time) ---
declare -A folder command route
for app in $apps; do
  folder[$app-aot]=$(bash "$root/scripts/publish-aot.sh" "$app")
  command[$app-aot]=./Plant.$app
  out=$work/jit-$app
  echo "publishing $app framework-dependent (ReadyToRun) to $out" >&2
  rm -rf "$out"
  dotnet publish "$root/functions/$app" -c Release -r linux-x64 -p:PublishAot=false -p:PublishReadyToRun=true \
    --self-contained false --artifacts-path "$work/jit-artifacts" -o "$out" --nologo -v quiet | sed '/warning NU1603/d' >&2
  folder[$app-jit]=$out
  command[$app-jit]=./Plant.$app
done
folder[bare]=$(bash "$root/scripts/publish-aot.sh" "$root/bench/Plant.Bench.Bare/Plant.Bench.Bare.csproj")
command[bare]=./Plant.Bench.Bare
folder[hello]=${folder[bare]}
command[hello]=${command[bare]}
route[Genesis]=api/v1/genesis/skills?limit=20
route[Agents]=api/v1/agents?limit=20
route[Migrate]=api/v1/migrations
route[bare]=api/bare
route[hello]=api/hello
targets=()
for app in $apps; do targets+=("$app-aot" "$app-jit"); done
targets+=(bare hello)

# --- the database, migrated and seeded ---
signing_key=$(mktemp)
trap 'bash "$root/scripts/postgres.sh" stop "$work/postgres" >/dev/null 2>&1 || true; rm -f "$signing_key"' EXIT
connection=$(bash "$root/scripts/postgres.sh" start "$work/postgres" "$pg_port" fast)
psql "postgresql://postgres@127.0.0.1:$pg_port/postgres" -qc "drop database if exists plant with (force)" -c "create database plant"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$signing_key" 2>/dev/null
export DATABASE_URL="${connection/Database=postgres/Database=plant}" PLANT_SIGNING_KEY_FILE="$signing_key" \
  PLANT_SIGNING_KEY_ID=cold-start-bench PLANT_SIGNING_KEY_BITS=2048
migrate=$(bash "$root/scripts/publish-aot.sh" Migrate)
(cd "$migrate" && PLANT_ENVIRONMENT=local PLANT_BACKUP=none PLANT_LOCAL_DIR="$work/local" ./Plant.Migrate up >/dev/null &&
  PLANT_ENVIRONMENT=local PLANT_LOCAL_DIR="$work/local" ./Plant.Migrate seed >&2)

export K_SERVICE=cold-start-bench PORT="$port" PLANT_ENVIRONMENT=uat PLANT_RETENTION_DAYS=30 PLANT_MASTER_KEY="$master" \
  PLANT_CLOUDSQL_INSTANCE=bench:region:instance ASPNETCORE_HTTP_PORTS=''
unset PLANT_FUNCTION_KEYS PLANT_TIMERS_IN_PROCESS FUNCTION_TARGET

# read -t on a pipe that never has data: a sleep without forking sleep(1).
exec {pause}<> <(:)

# One request with HTTP/1.0 (the server closes after answering); sets status to the status line, or "".
# A global rather than $(...): command substitution would fork.
status=
probe() {
  status=
  { exec {conn}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
  printf 'GET /%s HTTP/1.0\r\nHost: 127.0.0.1\r\nx-functions-key: %s\r\n\r\n' "$1" "$master" >&"$conn"
  IFS= read -r -t 5 status <&"$conn" || true
  exec {conn}>&-
}

probe healthz
if [[ -n "$status" ]]; then
  echo "something already answers on port $port; set PORT" >&2
  exit 1
fi

app_of() { [[ $1 == bare || $1 == hello ]] && echo "$1" || echo "${1%-*}"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Starts a target and polls its route until a 200; sets pid, and ms to the elapsed wall time.
pid= ms=
start_until_200() {
  local name=$1 path=${route[$(app_of "$1")]} start deadline now
  start=$EPOCHREALTIME
  deadline=$((${start/./} + timeout_s * 1000000))
  # shellcheck disable=SC2086 # the command is one word
  (cd "${folder[$name]}" && exec ${command[$name]} >/dev/null 2>&1) &
  pid=$!
  status=
  while [[ "$status" != *" 200 "* ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name: the app exited before answering; run it by hand in ${folder[$name]} to see why" >&2
      exit 1
    fi
    now=$EPOCHREALTIME
    if ((${now/./} > deadline)); then
      kill -KILL "$pid"
      echo "$name: no 200 on /$path within ${timeout_s}s" >&2
      exit 1
    fi
    probe "$path"
    [[ "$status" == *" 200 "* ]] || read -r -t 0.002 -u "$pause" || true
  done
  ms=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
}

stop() { kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; }

# --- cold starts, interleaved ---
declare -A times rss_first
for ((i = 1; i <= runs; i++)); do
  for name in "${targets[@]}"; do
    start_until_200 "$name"
    rss=$(rss_mb "$pid")
    stop
    times[$name]+="$ms "
    rss_first[$name]=$rss
    echo "$name: $ms ms, RSS $rss MB" >&2
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

# --- memory: after start, idle (5 s later), and after 10,000 requests on the route ---
# curl runs exactly 10,000 requests, 8 at a time, from one config file of URLs.
requests=$work/requests.curl
declare -A rss_idle rss_loaded
for name in "${targets[@]}"; do
  start_until_200 "$name"
  read -r -t 5 -u "$pause" || true
  rss_idle[$name]=$(rss_mb "$pid")
  for ((r = 0; r < 10000; r++)); do
    printf 'url = "http://127.0.0.1:%s/%s"\noutput = /dev/null\n' "$port" "${route[$(app_of "$name")]}"
  done >"$requests"
  curl -s --parallel --parallel-max 8 -H "x-functions-key: $master" -K "$requests" 2>/dev/null
  rss_loaded[$name]=$(rss_mb "$pid")
  stop
done

echo
echo "cold start, exec to first 200 on a route reading the database: $runs runs each, interleaved; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A medians
for name in "${targets[@]}"; do
  read -r p50 p90 min max <<<"$(stats <<<"${times[$name]}")"
  medians[$name]=$p50
  printf '%-12s median %5s ms   p90 %5s ms   min %5s ms   max %5s ms   RSS after start %6s MB, idle %6s MB, after 10,000 requests %6s MB   /%s\n' \
    "$name" "$p50" "$p90" "$min" "$max" "${rss_first[$name]}" "${rss_idle[$name]}" "${rss_loaded[$name]}" "${route[$(app_of "$name")]}"
done
for app in $apps; do
  awk -v a="${medians[$app-aot]}" -v j="${medians[$app-jit]}" -v b="${medians[bare]}" -v app="$app" \
    'BEGIN { printf "%s: AOT/JIT %.2f on the medians; AOT - bare %+.0f ms\n", app, a / j, a - b }'
done

# --- throughput of the Agents list, AOT and JIT side by side ---
if [[ ${THROUGHPUT:-1} == 1 && " $apps " == *" Agents "* ]]; then
  rounds=${ROUNDS:-3} duration=${DURATION:-10s}
  declare -A rps
  for ((i = 1; i <= rounds; i++)); do
    for name in Agents-aot Agents-jit; do
      start_until_200 "$name"
      # A warm-up, so that the JIT build is measured at its steady state, as a warm instance serves.
      wrk -t2 -c32 -d3s -H "x-functions-key: $master" "http://127.0.0.1:$port/${route[Agents]}" >/dev/null
      r=$(wrk -t2 -c32 -d"$duration" -H "x-functions-key: $master" "http://127.0.0.1:$port/${route[Agents]}" |
        awk '/^Requests\/sec/ { print $2 }')
      stop
      rps[$name]+="$r "
      echo "round $i $name: $r req/s" >&2
    done
  done
  aot=$(stats <<<"${rps[Agents-aot]}" | cut -d' ' -f1)
  jit=$(stats <<<"${rps[Agents-jit]}" | cut -d' ' -f1)
  echo "Agents /${route[Agents]}, wrk -t2 -c32 -d$duration, $rounds rounds interleaved: AOT median $aot req/s (${rps[Agents-aot]% }), JIT median $jit req/s (${rps[Agents-jit]% }), AOT/JIT $(awk -v a="$aot" -v j="$jit" 'BEGIN { printf "%.2f", a / j }')"
fi
