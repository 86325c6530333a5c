#!/usr/bin/env bash
# Applies Plant's descriptors (deploy/ENV/...) to a Google Cloud project with gcloud.
#
#   deploy/deploy.sh ENV service APP       the Cloud Run service of APP (genesis | agents | migrate)
#   deploy/deploy.sh ENV job               the Cloud Run job that runs the Migrate command line
#   deploy/deploy.sh ENV migrate ARGS...   runs that job with a Migrate command (status, plan, up, approve ...),
#                                          prints its output, and exits as the command did
#   deploy/deploy.sh ENV scheduler         creates or updates one Cloud Scheduler job per timer function
#   deploy/deploy.sh ENV domains           maps each service's own domain (once; each gets its own certificate)
#   deploy/deploy.sh ENV render FILE       prints a descriptor with its variables filled in
#
# ENV is demo, uat or prod. The descriptors name their variables as ${NAME}; each must be set in the environment:
# PROJECT_ID, REGION and DOMAIN always; REGISTRY and IMAGE_TAG for services and the job; CUSTOMER_PORTAL_SA and
# PARTNER_PORTAL_SA for the Genesis and Agents services. README, "Deploy", says what each is.
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "deploy: $*" >&2; exit 2; }

# Fills in ${NAME} from the environment; a variable that is not set stops it (no descriptor goes out half-filled).
render() {
  local file=$1 name missing=()
  [[ -f $file ]] || die "no descriptor $file"
  for name in $(grep -o '\${[A-Z_]*}' "$file" | tr -d '${}' | sort -u); do
    [[ -n ${!name:-} ]] || missing+=("$name")
  done
  ((${#missing[@]} == 0)) || die "$file needs ${missing[*]} set"
  perl -pe 's/\$\{([A-Z_]+)\}/$ENV{$1}/g' "$file"
}

# gcloud reads descriptors from files; the rendered copies live only as long as this script.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rendered() {
  local out
  out=$(mktemp --tmpdir="$work" --suffix=.yaml)
  render "$1" >"$out"
  echo "$out"
}

gcloud_() { gcloud --project "$PROJECT_ID" --quiet "$@"; }

service() {
  [[ ${1:-} =~ ^(genesis|agents|migrate)$ ]] || die "service: name genesis, agents or migrate"
  # replace waits for the new revision to pass its startup probe; until it does, the serving revision keeps all
  # traffic, and a revision that never does leaves it there.
  local file
  file=$(rendered "$env/$1.yaml")
  gcloud_ run services replace "$file" --region "$REGION"
}

job() {
  local file
  file=$(rendered "$env/migrate-job.yaml")
  gcloud_ run jobs replace "$file" --region "$REGION"
}

migrate() {
  (($# > 0)) || die "migrate: name a Migrate command (status, plan, up, approve ...)"
  local job=plant-migrate-job-$env args execution finished="" succeeded output=""
  # gcloud takes the arguments as one comma list; no Migrate argument holds a comma.
  [[ "$*" != *,* ]] || die "migrate: an argument holds a comma"
  args=$(IFS=,; echo "$*")
  execution=$(gcloud_ run jobs execute "$job" --region "$REGION" --args="$args" --async --format='value(metadata.name)')
  echo "migrate: $job execution $execution: $*" >&2
  # An execution ends (succeeded, failed or cancelled) within the job's task timeout.
  while [[ -z $finished ]]; do
    sleep 5
    finished=$(gcloud_ run jobs executions describe "$execution" --region "$REGION" --format='value(status.completionTime)')
  done
  succeeded=$(gcloud_ run jobs executions describe "$execution" --region "$REGION" --format='value(status.succeededCount)')
  # The command's output is the execution's stdout and stderr in Cloud Logging, which takes a few seconds to hold
  # every line: read until two reads ten seconds apart agree.
  local filter="resource.type=\"cloud_run_job\" AND labels.\"run.googleapis.com/execution_name\"=\"$execution\""
  filter+=" AND (logName:\"run.googleapis.com%2Fstdout\" OR logName:\"run.googleapis.com%2Fstderr\")"
  local previous=""
  for _ in $(seq 30); do
    output=$(gcloud_ logging read "$filter" --order=asc --freshness=1d --limit=100000 --format='value(textPayload)')
    [[ -n $output && $output == "$previous" ]] && break
    previous=$output
    sleep 10
  done
  echo "$output"
  [[ $succeeded == 1 ]] || { echo "migrate: $execution did not succeed" >&2; exit 1; }
}

scheduler() {
  local file flags name verb
  for file in "$env"/scheduler/*.yaml; do
    name=$(basename "$file" .yaml)
    flags=$(rendered "$file")
    verb=create
    if gcloud_ scheduler jobs describe "$name" --location "$REGION" >/dev/null 2>&1; then verb=update; fi
    gcloud_ scheduler jobs "$verb" http "$name" --flags-file="$flags"
  done
}

domains() {
  local file flags domain
  for file in "$env"/domains/*.yaml; do
    flags=$(rendered "$file")
    domain=$(sed -n 's/^--domain: *//p' "$flags")
    if gcloud_ beta run domain-mappings describe --domain "$domain" --region "$REGION" >/dev/null 2>&1; then
      echo "deploy: $domain is mapped already" >&2
    else
      gcloud_ beta run domain-mappings create --flags-file="$flags"
    fi
  done
}

env=${1:-}
[[ $env =~ ^(demo|uat|prod)$ ]] || die "usage: deploy/deploy.sh demo|uat|prod service APP | job | migrate ARGS... | scheduler | domains | render FILE"
command=${2:-}
shift 2 || true
case $command in
  render) render "$env/${1:?render: name a descriptor, e.g. genesis.yaml}" ;;
  service | job | migrate | scheduler | domains) : "${PROJECT_ID:?}" "${REGION:?}"; "$command" "$@" ;;
  *) die "usage: deploy/deploy.sh $env service APP | job | migrate ARGS... | scheduler | domains | render FILE" ;;
esac
