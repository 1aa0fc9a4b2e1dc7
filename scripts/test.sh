#!/usr/bin/env bash
# `npm test`: services up, dependencies current, then unit, integration and end-to-end tests against the real
# Postgres, Redis, OIDC provider and Chromium. Every suite runs even when an earlier one fails; the exit code
# is non-zero when any failed. Pass `static`, `unit`, `integration` or `e2e` to run only those.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/bulwark}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
suites=("${@:-static unit integration e2e}"); suites=(${suites[*]})
mkdir -p artifacts; rm -f artifacts/unit.json artifacts/integration.json artifacts/e2e/results.json

bash scripts/ensure-deps.sh || exit 1
bash scripts/services.sh || exit 1
bash scripts/ensure-poppler.sh || exit 1

failed=()
run() { # name command...
  local name="$1"; shift
  echo; echo "━━━ $name ━━━"
  if "$@"; then echo "━━━ $name: passed"; else echo "━━━ $name: FAILED"; failed+=("$name"); fi
}

for suite in "${suites[@]}"; do
  case "$suite" in
    static) run "typecheck and lint" bash -c 'npx tsc --noEmit -p tsconfig.json && npx eslint .' ;;
    unit) run unit npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=artifacts/unit.json ;;
    integration) run integration npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=artifacts/integration.json ;;
    e2e) run e2e bash scripts/e2e.sh ;;
    *) echo "unknown suite: $suite (static, unit, integration, e2e)"; exit 2 ;;
  esac
done

node scripts/test-summary.mjs artifacts/unit.json artifacts/integration.json artifacts/e2e/results.json
if ((${#failed[@]})); then echo "FAILED suites: ${failed[*]}"; exit 1; fi
