#!/usr/bin/env bash
# Installs, when missing (as root), what the tests drive besides .NET and PostgreSQL: Debian's Chromium, which the
# reference page's browser test runs headless (tests never download a browser of their own), and curl and jq,
# which the README's quick start uses. Prints Chromium's path.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
if ((${#missing[@]} > 0)); then
  [[ $EUID -eq 0 ]] || { echo "test-tools.sh: ${missing[*]} missing; run as root, or apt-get install ${missing[*]}" >&2; exit 1; }
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
command -v chromium
