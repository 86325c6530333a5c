#!/usr/bin/env bash
# Lints OpenAPI documents (the files named, or each app's document from its last Debug build) with Redocly CLI,
# pinned in tools/openapi-lint with its rules (tools/openapi-lint/redocly.yaml: recommended, warnings are errors).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(bash "$root/scripts/npm-tool.sh" "$root/tools/openapi-lint")

(($# > 0)) || set -- "$root"/functions/*/bin/Debug/net10.0/openapi.json
# No usage reports leave the machine; one line per problem.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  "$bin/redocly" lint --config "$root/tools/openapi-lint/redocly.yaml" --format stylish "$@"
