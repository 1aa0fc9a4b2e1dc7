#!/usr/bin/env bash
# Installs dependencies when node_modules is missing or stale, and regenerates the Prisma client when the
# schema changed. Cheap when nothing changed (two hashes).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1

deps_hash="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)"
if [[ ! -f node_modules/.bulwark-deps || "$(cat node_modules/.bulwark-deps)" != "$deps_hash" ]]; then
  echo "[deps] installing npm dependencies"
  # npm ci rejects lockfiles written on these machines (see STACK-NOTES); npm install keeps the lock as is.
  npm install --no-audit --no-fund --loglevel=error
  echo "$deps_hash" > node_modules/.bulwark-deps
fi

schema_hash="$(sha256sum prisma/schema.prisma | cut -c1-16)"
if [[ ! -f lib/platform/db/generated/.schema-hash || "$(cat lib/platform/db/generated/.schema-hash)" != "$schema_hash" ]]; then
  bash scripts/prisma-generate.sh
  echo "$schema_hash" > lib/platform/db/generated/.schema-hash
fi
