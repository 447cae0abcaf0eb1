#!/usr/bin/env bash
# Builds the real kube-apiserver and etcd that the Kubernetes tests (test/kube/) run, from the Go
# module in test/kube/ (upstream main packages, pinned by its go.mod/go.sum), into .cache/kube/bin/.
# Skipped, silently, when the binaries there were built from the current go.mod/go.sum.
#
#   bash scripts/kube-binaries.sh           build if needed
#   bash scripts/kube-binaries.sh --check   exit 0 if up to date, 1 if a build is needed
#
# Without a Go toolchain (1.24 or later, or an older one that can fetch it) this only warns, and the
# Kubernetes tests skip themselves; a failed build is an error.
set -euo pipefail
cd "$(dirname "$0")/.."

module=test/kube
out=.cache/kube/bin
# Part of the stamp, so that changing how the binaries are built also rebuilds them.
recipe="CGO_ENABLED=0 -trimpath -ldflags=-s -w +version v1"

stamp() { { cat "$module/go.mod" "$module/go.sum"; echo "$recipe"; } | sha256sum | cut -d' ' -f1; }
up_to_date() {
  [ -x "$out/kube-apiserver" ] && [ -x "$out/etcd" ] && [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$(stamp)" ]
}

if [ "${1:-}" = "--check" ]; then
  up_to_date
  exit
fi
up_to_date && exit 0

source scripts/go-toolchain.sh
require_go kube-binaries "kube-apiserver and etcd"
lock_build .cache/kube
up_to_date && exit 0

echo "kube-binaries: building kube-apiserver and etcd with $("$go" version | cut -d' ' -f3) (minutes with an empty Go build cache, seconds with a warm one)" >&2
start=$(date +%s)
tmp="$(mktemp -d .cache/kube/build.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
export CGO_ENABLED=0
# -mod=readonly: go.sum is committed; a build must never rewrite it. -modcacherw: `rm -rf` can
# clean a module cache the build created without a chmod first.
export GOFLAGS="${GOFLAGS:-} -mod=readonly -modcacherw"
k8s_version="$(cd "$module" && "$go" list -m -f '{{.Version}}' k8s.io/kubernetes)"
minor="${k8s_version#v1.}"
minor="${minor%%.*}"
# Without these the API server reports a placeholder version on /version; they do not change
# behaviour (feature gates follow the source, not this string).
version_flags="-X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
(
  cd "$module"
  "$go" build -trimpath -ldflags="-s -w $version_flags" -o "../../$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
  "$go" build -trimpath -ldflags="-s -w" -o "../../$tmp/etcd" go.etcd.io/etcd/server/v3
)
mkdir -p "$out"
mv -f "$tmp/kube-apiserver" "$tmp/etcd" "$out/"
stamp >"$out/stamp"
echo "kube-binaries: built $out/kube-apiserver ($k8s_version) and $out/etcd in $(($(date +%s) - start)) s" >&2
