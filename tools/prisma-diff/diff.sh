#!/usr/bin/env bash
# Usage: tools/prisma-diff/diff.sh NAME
# Writes prisma/migrations/<timestamp>_NAME/migration.sql with the SQL that takes the database from the
# schema of the last committed migration state (prisma/schema.prisma at HEAD) to the working copy's schema.
# Developer tool only: needs `npm install` in this folder; CI never runs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(cd "$here/../.." && pwd)"
name="${1:?usage: diff.sh NAME}"
psql -h 127.0.0.1 -U postgres -qc 'create database bulwark_prisma_diff' postgres 2>/dev/null || true
prep() { # schema file -> v6-compatible copy
  sed -e 's/provider *= *"prisma-client"/provider = "prisma-client-js"\n  engineType = "client"/' \
      -e '/^ *output *=/d' -e '/^ *moduleFormat *=/d' \
      -e 's/provider = "postgresql"/provider = "postgresql"\n  url = env("DATABASE_URL")/' "$1"
}
prep "$root/prisma/schema.prisma" > "$here/schema.prisma"
from=(--from-empty)
if git -C "$root" cat-file -e HEAD:prisma/schema.prisma 2>/dev/null && [[ "${FROM_EMPTY:-0}" != 1 ]]; then
  git -C "$root" show HEAD:prisma/schema.prisma > "$here/old.raw.prisma"; prep "$here/old.raw.prisma" > "$here/old.prisma"
  from=(--from-schema-datamodel "$here/old.prisma")
fi
out="$root/prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$out"
cd "$here"
DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bulwark_prisma_diff npx prisma migrate diff "${from[@]}" \
  --to-schema-datamodel "$here/schema.prisma" --script > "$out/migration.sql"
echo "wrote $out/migration.sql"
