import { checkHealth } from '@/lib/platform/health';
import { logger } from '@/lib/platform/log';

export const dynamic = 'force-dynamic';

const log = logger.child({ component: 'health' });

/**
 * 200 {"status":"ok"}, or 503 {"status":"down"} when the database or Redis is unreachable. Anyone can call it
 * (load balancers, uptime monitors), so it says ok or not ok and nothing more: which dependency failed goes to
 * the log, where the operator looks next.
 */
export async function GET(): Promise<Response> {
  const health = await checkHealth();
  const ok = health.db === 'ok' && health.redis === 'ok';
  if (!ok) log.warn({ db: health.db, redis: health.redis }, 'health check failed');
  return Response.json({ status: ok ? 'ok' : 'down' }, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
