#!/usr/bin/env bash
# `npm run demo`: services up, migrations applied, demo data seeded, then the dev OIDC provider, a worker and
# the web app, until Ctrl-C. `npm run demo -- --reset` starts from an empty database. `npm run dev` is the
# same with Next.js in development mode.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
[[ -f .env ]] && set -a && . ./.env && set +a
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/bulwark}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export APP_URL="${APP_URL:-http://localhost:3000}" NEXTAUTH_URL="${NEXTAUTH_URL:-http://localhost:3000}"
# The web app runs with NODE_ENV=production (next start), which refuses the placeholders of .env.example and the
# dev IdP's published client (lib/platform/env.ts): the demo brings values of its own, and registers its client with the dev IdP.
export NEXTAUTH_SECRET="${NEXTAUTH_SECRET:-demo-only-session-secret-0123456789abcdef}"
export OIDC_CLIENT_ID="${OIDC_CLIENT_ID:-bulwark-demo}" OIDC_CLIENT_SECRET="${OIDC_CLIENT_SECRET:-demo-only-client-secret-0123456789}"
export DEV_IDP_CLIENT_ID="$OIDC_CLIENT_ID" DEV_IDP_CLIENT_SECRET="$OIDC_CLIENT_SECRET"
export BULWARK_ENCRYPTION_KEY="${BULWARK_ENCRYPTION_KEY:-ZGVtby1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=}"
export AUDIT_SIGNING_KEY="${AUDIT_SIGNING_KEY:-demo-only-audit-signing-key-0123456789abcdef}"
export OIDC_ISSUER="${OIDC_ISSUER:-http://localhost:4010}" OIDC_PROMPT="${OIDC_PROMPT:-login}"
# Acme's own IdP (its SSO connection, seeded by prisma/demo/seed-demo.ts): the dev IdP again on 4011 with Acme's accounts.
export ACME_IDP_ISSUER="${ACME_IDP_ISSUER:-http://localhost:4011}" ACME_IDP_CLIENT_ID="${ACME_IDP_CLIENT_ID:-acme-bulwark}"
export ACME_IDP_CLIENT_SECRET="${ACME_IDP_CLIENT_SECRET:-acme-demo-client-secret}"
ACME_CONNECTION_ID=acacacac-0000-4000-8000-000000000001
PORT="${PORT:-3000}"
mode=start; reset=0
for arg in "$@"; do case "$arg" in --dev) mode=dev ;; --reset) reset=1 ;; *) echo "unknown option $arg (--reset, --dev)"; exit 2 ;; esac; done

bash scripts/ensure-deps.sh
# PDF reports are signed (production requires a key): unless .env configures one, a self-signed key made once on this machine.
[[ -n "${REPORT_SIGNING_KEY:-}" ]] || eval "$(npx tsx scripts/report-signing-key.ts)"
bash scripts/services.sh
if [[ "$reset" == 1 ]]; then
  echo "[demo] --reset: dropping the demo database"
  DATABASE_URL="$DATABASE_URL" node --input-type=module -e '
  import pg from "pg"; const u = new URL(process.env.DATABASE_URL); const db = u.pathname.slice(1); u.pathname = "/postgres";
  const c = new pg.Client({ connectionString: u.toString() }); await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`); await c.query(`CREATE DATABASE "${db}"`); await c.end();'
fi
npx tsx scripts/migrate.ts
npx tsx prisma/seed.ts
# Acme's own policy (issue 23): its framework and three custom controls, before the history evaluates with them.
npx tsx scripts/demo-policies.ts
# Thirty days of history through the product's own paths (ingest + evaluation with historical times), before
# the worker starts so nothing evaluates those snapshots "now".
npx tsx scripts/demo-history.ts
# Acme's ISO 27001 Statement of Applicability and evidence, before the workflow's archived ISO report is made.
npx tsx scripts/demo-compliance.ts
# Acme's access reviews (issue 22): last quarter's signed off, this quarter's in progress (needs the evaluated snapshots above).
npx tsx scripts/demo-access-reviews.ts
npx tsx scripts/demo-workflow.ts

pids=()
cleanup() { echo; echo "[demo] stopping"; for pid in "${pids[@]}"; do kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null; }
trap cleanup EXIT INT TERM

setsid node node_modules/tsx/dist/cli.mjs scripts/dev-idp.ts & pids+=($!)
# Mail goes to a loopback SMTP sink writing each message to artifacts/mail/ (unless .env sets SMTP_URL).
if [[ -z "${SMTP_URL:-}" ]]; then
  export SMTP_URL="smtp://127.0.0.1:${SMTP_SINK_PORT:-2525}"
  setsid node node_modules/tsx/dist/cli.mjs scripts/smtp-sink.ts --port "${SMTP_SINK_PORT:-2525}" --dir artifacts/mail & pids+=($!)
fi
setsid env DEV_IDP_PORT="${ACME_IDP_ISSUER##*:}" DEV_IDP_USERS=acme DEV_IDP_CLIENT_ID="$ACME_IDP_CLIENT_ID" DEV_IDP_CLIENT_SECRET="$ACME_IDP_CLIENT_SECRET" \
  DEV_IDP_REDIRECT_URIS="$APP_URL/api/auth/callback/sso-$ACME_CONNECTION_ID" node node_modules/tsx/dist/cli.mjs scripts/dev-idp.ts & pids+=($!)
setsid env BULWARK_WORKER_MAIN=1 BULWARK_SERVICE=worker node node_modules/tsx/dist/cli.mjs workers/main.ts & pids+=($!)
if [[ "$mode" == dev ]]; then
  setsid node node_modules/next/dist/bin/next dev -p "$PORT" & pids+=($!)
else
  if [[ ! -f .next/BUILD_ID || -n "$(find app lib -newer .next/BUILD_ID -name '*.ts*' -print -quit 2>/dev/null)" ]]; then
    echo "[demo] building the web app"; npx next build >/dev/null
  fi
  setsid env NODE_ENV=production node node_modules/next/dist/bin/next start -p "$PORT" & pids+=($!)
fi
for _ in $(seq 1 120); do curl -fsS "$APP_URL/api/health" >/dev/null 2>&1 && break; sleep 0.5; done

cat <<MSG

  Bulwark is running: $APP_URL
  Sign in with your email first, password: bulwark. @acme.test goes to Acme's own IdP ($ACME_IDP_ISSUER,
  Acme's SSO connection and verified domain), everyone else to the platform IdP ($OIDC_ISSUER).
    owner@acme.test     OWNER of Acme        engineer@acme.test  MEMBER of Acme
    admin@acme.test     ADMIN of Acme        auditor@acme.test   AUDITOR of Acme
    viewer@acme.test    VIEWER of Acme       admin@globex.test   OWNER of Globex (platform IdP)
  Try first: sign in as owner@acme.test and open the dashboard, then a critical finding's RBAC evidence chain.
  Health: curl $APP_URL/api/health        Stop: Ctrl-C
  Mail: ${SMTP_URL} (the demo's sink writes each message to artifacts/mail/*.eml)

MSG
wait -n "${pids[@]}"
