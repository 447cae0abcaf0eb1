#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs standalone Portico on examples/basic
# (or on the paths given as arguments) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -p tsconfig.json
if [ "$#" -eq 0 ]; then set -- -f examples/basic; fi
exec node bin/portico.js run "$@"
