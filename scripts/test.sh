#!/usr/bin/env bash
# The whole test suite: installs what it needs, then lint, typecheck/build and every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser   # npm packages, HAProxy, and chromium for test/browser/
bash scripts/kube-binaries.sh   # kube-apiserver and etcd for test/kube/ (a no-op once built)
bash scripts/helm.sh            # helm for test/unit/deploy/helm-chart.test.ts (a no-op once built)
npx eslint .
npx tsc -p tsconfig.json
node --test --test-concurrency=2 --test-reporter=spec dist/test/
