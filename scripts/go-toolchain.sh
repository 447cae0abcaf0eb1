# Sourced by the scripts that build Go tools for the tests (kube-binaries.sh, helm.sh).

# require_go NAME WHAT: sets $go to a Go toolchain of 1.21 or later (which fetches the toolchain a
# module asks for by itself), or says that WHAT cannot be built and exits 0: the tests that need
# it then skip themselves.
require_go() {
  local name=$1 what=$2 minor
  go="$(command -v go 2>/dev/null || { [ -x /usr/local/go/bin/go ] && echo /usr/local/go/bin/go; } || true)"
  if [ -z "$go" ]; then
    echo "$name: no Go toolchain found (looked on PATH and in /usr/local/go/bin); install Go 1.21 or" >&2
    echo "$name: later to build $what. The tests that need it are skipped." >&2
    exit 0
  fi
  minor="$("$go" env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')"
  if [ -z "$minor" ] || [ "$minor" -lt 21 ]; then
    echo "$name: $go is $("$go" env GOVERSION 2>/dev/null || echo 'of unknown version'); building $what needs" >&2
    echo "$name: Go 1.21 or later (which downloads the toolchain it asks for). The tests that need it are skipped." >&2
    exit 0
  fi
}

# lock_build DIR: holds DIR/build.lock until the script exits, so two test runs starting at once
# do not build over each other (the second waits, then finds the build up to date).
lock_build() {
  mkdir -p "$1"
  exec 9>"$1/build.lock"
  flock 9
}
