#!/usr/bin/env bash
# Installs Debian's Chromium when it is missing (as root) and prints its path: the reference page's browser test
# drives it headless. Tests never download a browser of their own.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  [[ $EUID -eq 0 ]] || { echo "chromium.sh: Chromium is missing; run as root, or apt-get install chromium" >&2; exit 1; }
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2
fi
command -v chromium
