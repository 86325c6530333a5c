#!/usr/bin/env bash
# Publishes a function app as a Native AOT executable, with the Dockerfile's flags, once per content: the output
# is kept under ${PLANT_AOT_CACHE:-~/.cache/plant/aot}, named by a hash of everything that goes into it (the
# sources, the package versions, the SDK), so a second call with nothing changed only prints the folder.
#
#   scripts/publish-aot.sh APP        Genesis, Agents, Migrate, or a project path: prints the folder holding the executable
#   scripts/publish-aot.sh --tools    only install what Native AOT needs (clang, lld, zlib1g-dev) when missing
#
# Publishing one app takes one or two minutes on two cores; publishes are serialized (one lock), and each cache
# keeps the newest three outputs of an app.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

die() { echo "publish-aot.sh: $*" >&2; exit 1; }

install_tools() {
  local missing=() package
  for package in clang lld zlib1g-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return
  [[ $EUID -eq 0 ]] || die "${missing[*]} missing; run as root, or apt-get install ${missing[*]}"
  echo "publish-aot.sh: installing ${missing[*]} (Native AOT's compiler and linker)" >&2
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

[[ $# -eq 1 ]] || die "usage: scripts/publish-aot.sh Genesis|Agents|Migrate|PROJECT.csproj | --tools"
install_tools
[[ $1 == --tools ]] && exit 0

case "$1" in
  Genesis | Agents | Migrate) project=functions/$1/Plant.$1.csproj ;;
  *) project=$1 ;;
esac
[[ -f $project ]] || die "no project at $project"
# Paths relative to the checkout, so the hash below is the same whoever calls and from where.
project=$(realpath --relative-to="$root" "$project")
name=$(basename "$project" .csproj)

# Everything the output depends on: the files of the shared libraries, the apps and the project (build output
# aside), the repository's build settings, this script, and the SDK.
key=$(
  {
    dotnet --version
    find shared functions "$(dirname "$project")" Directory.Build.props Directory.Packages.props global.json host.json \
      .editorconfig scripts/publish-aot.sh -type f -not -path '*/bin/*' -not -path '*/obj/*' -print0 |
      sort -zu | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
)
cache=${PLANT_AOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/plant/aot}
out=$cache/$name-$key
mkdir -p "$cache"
exec 9>"$cache/publish.lock"
flock 9
if [[ ! -x $out/$name ]]; then
  echo "publish-aot.sh: publishing $name with Native AOT into $out" >&2
  rm -rf "$out.partial"
  # Intermediate files go to the cache, so publishing never races with the checkout's own bin/ and obj/.
  dotnet publish "$project" -c Release -r linux-x64 -o "$out.partial" \
    --artifacts-path "$cache/build" --disable-build-servers --nologo -v quiet | sed '/warning NU1603/d' >&2
  # Symbols and API docs stay out, as in the image.
  find "$out.partial" \( -name '*.dbg' -o -name '*.pdb' -o -name '*.xml' \) -delete
  mv "$out.partial" "$out"
  # Older outputs of this app: keep the newest three.
  find "$cache" -maxdepth 1 -type d -name "$name-*" -printf '%T@ %p\n' | sort -rn | tail -n +4 | cut -d' ' -f2- |
    xargs -r rm -rf
fi
echo "$out"
