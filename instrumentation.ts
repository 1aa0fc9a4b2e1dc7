/**
 * Next.js calls register() once when the server starts, before it serves a request: a bad environment (in
 * production, a missing secret or a development default) stops `next start` there, naming each variable.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is Next.js's own marker of the runtime loading this file, not configuration: process.exit and
  // Buffer exist only in Node.js.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { exitOnInvalidEnv } = await import('./lib/platform/env');
  exitOnInvalidEnv('web');
  // The snapshot intake's validation threads start with the server, not with the first upload: a thread loads
  // the schema for a second or more (longer on a busy machine), which the first agent would otherwise wait for.
  const { intakePool } = await import('./lib/services/ingest/intake-pool');
  intakePool();
}
