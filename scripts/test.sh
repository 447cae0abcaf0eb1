#!/usr/bin/env bash
# The whole test suite: installs what it needs, then lint, typecheck/build and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx eslint .
npx tsc -p tsconfig.json
node --test --test-concurrency=2 --test-reporter=spec dist/test/
