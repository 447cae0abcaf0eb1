#!/usr/bin/env bash
# Installs what Portico needs on a fresh machine: npm packages and HAProxy; with --browser also
# Chromium for the web view's browser tests (scripts/test.sh passes it). Safe to run again: each
# step is skipped when already done, and nothing is printed then.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# HAProxy 2.6 or later, the data plane. Debian puts it in /usr/sbin, which may not be on PATH.
haproxy_bin() { command -v haproxy 2>/dev/null || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; } || true; }

# apt_install PACKAGE WHY: installs a Debian package as root, or says what to do without it.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing $1 (apt-get)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else
    echo "setup: $1 is not installed and this script can only install it as root with apt-get;" >&2
    echo "setup: install it (e.g. sudo apt-get install $1). $2" >&2
  fi
}

if [ -z "$(haproxy_bin)" ]; then
  apt_install haproxy "Portico needs HAProxy 2.6 or later; tests that need it are skipped."
fi
bin="$(haproxy_bin)"
if [ -n "$bin" ]; then
  version="$("$bin" -v 2>/dev/null | sed -n 's/^HA-\{0,1\}Proxy version \([0-9]*\.[0-9]*\).*/\1/p' | head -n1)"
  major="${version%%.*}"
  minor="${version#*.}"
  if [ -z "$version" ] || [ "$major" -lt 2 ] || { [ "$major" -eq 2 ] && [ "$minor" -lt 6 ]; }; then
    echo "setup: $bin is HAProxy ${version:-of unknown version}; Portico needs 2.6 or later. Tests that need it are skipped." >&2
  fi
fi

# Chromium, for the web view's browser tests (test/browser/, driven by playwright-core), only with
# --browser (scripts/test.sh): running Portico does not need it. Debian's package puts it at
# /usr/bin/chromium, where the tests look for it.
if [ "${1:-}" = --browser ] && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium "The browser tests look for /usr/bin/chromium and are skipped without it."
fi
