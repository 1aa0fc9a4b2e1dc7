#!/usr/bin/env bash
# Makes sure Postgres (15+) and Redis (7) answer at DATABASE_URL / REDIS_URL.
# When nothing answers on loopback it starts the locally installed servers, installing Debian's packages
# with apt-get when they are missing and we run as root; otherwise it says exactly what to install.
# Used by `npm run demo`, `npm test` and .ci/run.
set -euo pipefail

DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/bulwark}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-60}"

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# host and port out of a URL like scheme://user:pass@host:port/db
url_host() { local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; printf '%s' "${rest%%:*}"; }
url_port() { local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; [[ "$rest" == *:* ]] && printf '%s' "${rest##*:}" || printf '%s' "$2"; }

PG_HOST="$(url_host "$DATABASE_URL")"; PG_PORT="$(url_port "$DATABASE_URL" 5432)"
REDIS_HOST="$(url_host "$REDIS_URL")"; REDIS_PORT="$(url_port "$REDIS_URL" 6379)"

is_local() { [[ "$1" == "127.0.0.1" || "$1" == "localhost" || "$1" == "::1" ]]; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

APT_UPDATED=0
apt_install() {
  if [[ "$(id -u)" != "0" ]] || ! command -v apt-get >/dev/null; then
    die "$1 is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y $2) or point ${3} at a running server."
  fi
  if [[ "$APT_UPDATED" == 0 ]]; then log "apt-get update"; DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  log "installing $2 with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null || [[ -z "$(ls /etc/postgresql 2>/dev/null)" ]]; then
    apt_install "PostgreSQL" postgresql DATABASE_URL
  fi
  local version; version="$(ls /etc/postgresql | sort -V | tail -1)"
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx main; then
    log "creating PostgreSQL $version cluster 'main'"
    pg_createcluster "$version" main >/dev/null
  fi
  # Local development trusts loopback connections, like the machines this project runs on.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [[ -w "$hba" ]] && ! grep -q 'bulwark-local-trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust # bulwark-local-trust\nhost all all ::1/128 trust # bulwark-local-trust' "$hba"
  fi
  log "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
}

start_redis() {
  command -v redis-server >/dev/null || apt_install "Redis" redis-server REDIS_URL
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  log "starting redis-server on port $REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/bulwark.log
}

wait_for() { # name host port
  local deadline=$((SECONDS + WAIT_SECONDS))
  until port_open "$2" "$3"; do
    (( SECONDS < deadline )) || die "$1 did not answer on $2:$3 within ${WAIT_SECONDS}s"
    sleep 0.5
  done
}

if ! port_open "$PG_HOST" "$PG_PORT"; then
  is_local "$PG_HOST" || die "PostgreSQL at $PG_HOST:$PG_PORT does not answer (DATABASE_URL); it is not local, so this script cannot start it."
  start_postgres
fi
wait_for PostgreSQL "$PG_HOST" "$PG_PORT"

if ! port_open "$REDIS_HOST" "$REDIS_PORT"; then
  is_local "$REDIS_HOST" || die "Redis at $REDIS_HOST:$REDIS_PORT does not answer (REDIS_URL); it is not local, so this script cannot start it."
  start_redis
fi
wait_for Redis "$REDIS_HOST" "$REDIS_PORT"

# Answering on the port is not enough: Postgres must accept queries (it refuses them while starting up).
DATABASE_URL="$DATABASE_URL" WAIT_SECONDS="$WAIT_SECONDS" node --input-type=module -e '
import pg from "pg";
const url = new URL(process.env.DATABASE_URL);
const admin = new URL(url); admin.pathname = "/postgres";
const deadline = Date.now() + Number(process.env.WAIT_SECONDS) * 1000;
for (;;) {
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    const { rows } = await client.query("select current_setting($1)::int as v", ["server_version_num"]);
    if (rows[0].v < 150000) { console.error("[services] ERROR: PostgreSQL 15 or newer is required, found " + rows[0].v); process.exit(1); }
    const db = decodeURIComponent(url.pathname.slice(1));
    const exists = await client.query("select 1 from pg_database where datname = $1", [db]);
    if (exists.rowCount === 0) { await client.query(`create database "${db.replaceAll("\"", "\"\"")}"`); console.error("[services] created database " + db); }
    await client.end();
    break;
  } catch (error) {
    await client.end().catch(() => {});
    if (Date.now() > deadline) { console.error("[services] ERROR: PostgreSQL does not accept connections: " + error.message); process.exit(1); }
    await new Promise((r) => setTimeout(r, 500));
  }
}
'
log "PostgreSQL ok at $PG_HOST:$PG_PORT, Redis ok at $REDIS_HOST:$REDIS_PORT"
