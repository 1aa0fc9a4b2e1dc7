import { checkHealth } from '@/lib/health';

export const dynamic = 'force-dynamic';

/** 200 {"db":"ok","redis":"ok"}; 503 with the failing part named when one is down. */
export async function GET(): Promise<Response> {
  const health = await checkHealth();
  const ok = health.db === 'ok' && health.redis === 'ok';
  return Response.json(health, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
