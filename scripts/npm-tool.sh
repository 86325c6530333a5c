#!/usr/bin/env bash
# Installs the npm tool pinned in FOLDER (its package.json and package-lock.json) once per version of the lock
# file, with Node.js and npm from apt when they are missing (as root), and prints FOLDER/node_modules/.bin.
#   scripts/npm-tool.sh tools/openapi-lint
set -euo pipefail
tool=$(cd "${1:?usage: npm-tool.sh FOLDER}" && pwd)

if ! command -v npm >/dev/null; then
  [[ $EUID -eq 0 ]] || { echo "npm-tool: npm is missing; run as root, or install nodejs and npm" >&2; exit 1; }
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm >&2
fi

stamp=$tool/node_modules/.package-lock.sha256
want=$(sha256sum "$tool/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  npm ci --prefix "$tool" --no-audit --no-fund --silent >&2
  echo "$want" >"$stamp"
fi
echo "$tool/node_modules/.bin"
