#!/usr/bin/env bash
# Builds the real helm that test/unit/deploy/helm-chart.test.ts lints and renders charts/portico
# with, from the Go module proxy (helm.sh/helm/v4, pinned below), into .cache/helm/bin/helm.
# Skipped, silently, when that binary exists and reports the pinned version.
#
#   bash scripts/helm.sh           build if needed
#   bash scripts/helm.sh --check   exit 0 if up to date, 1 if a build is needed
#
# Without a Go toolchain (1.21 or later, which fetches the one helm's go.mod asks for) this only
# warns, and the chart tests skip themselves; a failed build is an error.
set -euo pipefail
cd "$(dirname "$0")/.."

version=v4.3.2
out=.cache/helm/bin

# helm's version string is set by its Makefile through -X; `go install` alone would leave the
# placeholder in internal/version (e.g. "v4.3"), and the check below could never succeed.
ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=$version -X helm.sh/helm/v4/internal/version.gitTreeState=clean"

up_to_date() {
  [ -x "$out/helm" ] && [ "$("$out/helm" version --template '{{.Version}}' 2>/dev/null)" = "$version" ]
}

if [ "${1:-}" = "--check" ]; then
  up_to_date
  exit
fi
up_to_date && exit 0

source scripts/go-toolchain.sh
require_go helm "helm $version"
lock_build .cache/helm
up_to_date && exit 0

echo "helm: building helm $version with $("$go" version | cut -d' ' -f3) (minutes with an empty Go build cache, seconds with a warm one)" >&2
start=$(date +%s)
tmp="$(mktemp -d .cache/helm/build.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export CGO_ENABLED=0
# -modcacherw: `rm -rf` can clean a module cache the build created without a chmod first. No -mod:
# `go install pkg@version` ignores any go.mod here and builds helm's own module graph, checked
# against sum.golang.org (or GONOSUMDB/GOFLAGS as the environment sets them).
export GOFLAGS="${GOFLAGS:-} -modcacherw"
GOBIN="$PWD/$tmp" "$go" install -trimpath -ldflags="$ldflags" "helm.sh/helm/v4/cmd/helm@$version"
mkdir -p "$out"
mv -f "$tmp/helm" "$out/helm"
if ! up_to_date; then
  echo "helm: $out/helm reports version '$("$out/helm" version --template '{{.Version}}' 2>&1 || true)', not $version" >&2
  exit 1
fi
echo "helm: built $out/helm ($version) in $(($(date +%s) - start)) s" >&2
