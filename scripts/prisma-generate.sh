#!/usr/bin/env bash
# `prisma generate` offline: the CLI only needs *an* executable at PRISMA_SCHEMA_ENGINE_BINARY, otherwise it
# tries to download an engine. Set only for generate (on a connected machine it would break `migrate dev`).
set -euo pipefail
cd "$(dirname "$0")/.."
PRISMA_SCHEMA_ENGINE_BINARY=/bin/true PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1 \
  node node_modules/prisma/build/index.js generate --schema prisma/schema.prisma >/dev/null
echo "[prisma] client generated in lib/platform/db/generated"
