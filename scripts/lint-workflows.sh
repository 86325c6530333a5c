#!/usr/bin/env bash
# Lints the GitHub workflows (or the files named) with action-validator, pinned in tools/workflow-lint: the
# workflow schema, the job graph (needs), and the paths and globs they name. Installs Node.js with apt when it is
# missing (as root), and the validator once per version of its lock file. Exit 1 when any file fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tool=$root/tools/workflow-lint

if ! command -v npm >/dev/null; then
  [[ $EUID -eq 0 ]] || { echo "lint-workflows: npm is missing; run as root, or install nodejs and npm" >&2; exit 1; }
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm >&2
fi

stamp=$tool/node_modules/.package-lock.sha256
want=$(sha256sum "$tool/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  npm ci --prefix "$tool" --no-audit --no-fund --silent >&2
  echo "$want" >"$stamp"
fi

(($# > 0)) || set -- "$root"/.github/workflows/*.yml
status=0
for file in "$@"; do
  "$tool/node_modules/.bin/action-validator" "$file" || { echo "lint-workflows: $file fails" >&2; status=1; }
done
exit $status
