#!/usr/bin/env bash
# Lints OpenAPI documents (the files named, or each app's document from its last build) with Redocly CLI, pinned
# in tools/openapi-lint with its rules (tools/openapi-lint/redocly.yaml: recommended, warnings are errors).
# Installs Node.js with apt when it is missing (as root), and the linter once per version of its lock file.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tool=$root/tools/openapi-lint

if ! command -v npm >/dev/null; then
  [[ $EUID -eq 0 ]] || { echo "lint-openapi: npm is missing; run as root, or install nodejs and npm" >&2; exit 1; }
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm >&2
fi

stamp=$tool/node_modules/.package-lock.sha256
want=$(sha256sum "$tool/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  npm ci --prefix "$tool" --no-audit --no-fund --silent >&2
  echo "$want" >"$stamp"
fi

(($# > 0)) || set -- "$root"/functions/*/bin/Debug/net10.0/openapi.json
# No usage reports leave the machine; the format is one line per problem.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  "$tool/node_modules/.bin/redocly" lint --config "$tool/redocly.yaml" --format stylish "$@"
