#!/usr/bin/env bash
# End-to-end: Debian's Chromium (installed with apt when missing), a fresh e2e database, a production build,
# then Playwright, which starts the dev OIDC provider, the app and a worker.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "[e2e] installing Debian's chromium"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "[e2e] ERROR: /usr/bin/chromium is missing. Install it: sudo apt-get install -y chromium" >&2; exit 1
  fi
fi
# pdftotext (poppler-utils) lets the whole-story test read the PDF report it downloads.
bash scripts/ensure-poppler.sh || exit 1
export E2E_DATABASE_URL="${E2E_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/bulwark_e2e}"
export E2E_REDIS_PREFIX="bulwark-e2e-$(date +%s)"
node --input-type=module -e '
import pg from "pg";
const url = new URL(process.env.E2E_DATABASE_URL); const name = url.pathname.slice(1); url.pathname = "/postgres";
const c = new pg.Client({ connectionString: url.toString() }); await c.connect();
await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`); await c.query(`CREATE DATABASE "${name}"`); await c.end();'
DATABASE_URL="$E2E_DATABASE_URL" npx tsx scripts/migrate.ts
# The seed seals Acme's SSO client secret with the key the app will open it with, and points it at Acme's IdP
# (the same values as e2e/fixtures/env.ts).
export BULWARK_ENCRYPTION_KEY='ZTJlLW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=' ACME_IDP_ISSUER="http://localhost:${E2E_ACME_IDP_PORT:-4111}"
export ACME_IDP_CLIENT_ID='acme-bulwark' ACME_IDP_CLIENT_SECRET='acme-e2e-client-secret-0123456789'
# The demo organizations (Acme, Globex) with their 30 days of history, for the per-role journey. Demo users get
# their identity at the e2e stack's IdP (e2e/fixtures/env.ts), else owner@acme.test signs in as a stranger to Acme.
export E2E_OIDC_ISSUER="http://localhost:${E2E_IDP_PORT:-4110}"
DATABASE_URL="$E2E_DATABASE_URL" REDIS_PREFIX="$E2E_REDIS_PREFIX" OIDC_ISSUER="$E2E_OIDC_ISSUER" npx tsx prisma/seed.ts
DATABASE_URL="$E2E_DATABASE_URL" REDIS_PREFIX="$E2E_REDIS_PREFIX" OIDC_ISSUER="$E2E_OIDC_ISSUER" npx tsx scripts/demo-history.ts
DATABASE_URL="$E2E_DATABASE_URL" REDIS_PREFIX="$E2E_REDIS_PREFIX" OIDC_ISSUER="$E2E_OIDC_ISSUER" npx tsx scripts/demo-workflow.ts
mkdir -p artifacts/e2e/logs && rm -f artifacts/e2e/logs/*.log
echo "[e2e] building the app"
npx next build > artifacts/next-build.log 2>&1 || { tail -50 artifacts/next-build.log; exit 1; }
npx playwright test "$@"
