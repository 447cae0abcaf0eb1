#!/usr/bin/env bash
# The main job: installs what is missing (npm packages, HAProxy), builds, starts a small HTTP
# backend on 127.0.0.1:9000 for the example's Service, and runs standalone Portico on
# examples/basic (or on the arguments given) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -p tsconfig.json
if [ "$#" -eq 0 ]; then
  node -e "require('http').createServer((q, s) => s.end('hello from the echo backend, you asked for ' + q.url + '\n')).listen(9000, '127.0.0.1')" &
  backend=$!
  trap 'kill $backend 2>/dev/null || true' EXIT
  set -- -f examples/basic
fi
node bin/portico.js run "$@"
