#!/usr/bin/env bash
# Installs what Portico needs on a fresh machine: npm packages now; later stages add HAProxy and the
# Kubernetes test binaries here. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
