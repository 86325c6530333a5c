#!/usr/bin/env bash
# Lints the GitHub workflows (or the files named) with action-validator, pinned in tools/workflow-lint: the
# workflow schema, the job graph (needs), and the paths and globs they name. Exit 1 when any file fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(bash "$root/scripts/npm-tool.sh" "$root/tools/workflow-lint")

(($# > 0)) || set -- "$root"/.github/workflows/*.yml
status=0
for file in "$@"; do
  "$bin/action-validator" "$file" || { echo "lint-workflows: $file fails" >&2; status=1; }
done
exit $status
