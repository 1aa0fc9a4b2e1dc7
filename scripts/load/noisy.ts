/**
 * `npm run load -- --noisy`: a hostile tenant beside the ordinary load. With the ordinary tenant's 50 agents
 * pushing and 20 members browsing, one more organization (its own clusters and agent tokens, made through the
 * same services as the ordinary one) sends what a hostile admin could: the long-string snapshot of issue 16 (one
 * 80,000-letter annotation), 1 MiB of nested separators, gzip bombs, bodies over the size limit, and bursts of
 * uploads over its organization's quota. Everything goes to 127.0.0.1, at a fixed pace, and stops at the deadline.
 * lib modules are imported lazily (see fixture.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { syntheticSnapshot } from '../../lib/testing/synthetic';
import { summarize, type Summary } from './recorder';
import type { RouteResult, TargetResult } from './report';

export const NOISY_TARGETS = { ingestP95Ms: 300, pageP95Ms: 500, healthP95Ms: 100 } as const;

export type HostileTenant = { organizationId: string; slug: string; tokens: string[] };
export type HostileKind = 'long-string' | 'nested-separators' | 'gzip-bomb' | 'oversized' | 'burst';
type Payload = { body: Uint8Array<ArrayBuffer>; gzip: boolean };

/** Bytes fetch() accepts as a body (a Buffer's type allows a shared backing store, which it refuses). */
const bytes = (buffer: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(buffer);

/** Each kind's pace (one request per period) and token; bursts fire `BURST_SIZE` uploads at once. */
const SCHEDULE: Record<Exclude<HostileKind, 'burst'>, { everyMs: number; token: number }> = {
  'long-string': { everyMs: 2_000, token: 0 },
  'nested-separators': { everyMs: 3_000, token: 1 },
  'gzip-bomb': { everyMs: 5_000, token: 2 },
  oversized: { everyMs: 10_000, token: 3 },
};
const BURST_EVERY_MS = 5_000;
const BURST_SIZE = 60;
/** Tokens 0-3 send one kind each; the rest share the bursts (a tenant can mint as many tokens as it likes). */
export const HOSTILE_CLUSTERS = 30;

export async function seedHostileTenant(): Promise<HostileTenant> {
  const { createOrganization } = await import('../../lib/services/orgs/create-organization');
  const { createCluster } = await import('../../lib/services/clusters/create-cluster');
  const { systemContext } = await import('../../lib/platform/auth/context');
  const { createUser } = await import('../../lib/testing/factories');
  const owner = await createUser('owner@noisy.test', 'Noisy owner');
  const org = await createOrganization({ name: 'Noisy neighbour', slug: 'noisy-neighbour', ownerEmail: owner.email, ownerUserId: owner.id });
  const ctx = systemContext(org.id, 'load', org.slug);
  const tokens: string[] = [];
  for (let i = 0; i < HOSTILE_CLUSTERS; i++) tokens.push((await createCluster(ctx, { name: `noisy-${String(i).padStart(2, '0')}` })).token);
  return { organizationId: org.id, slug: org.slug, tokens };
}

function snapshotWithAnnotation(clusterUid: string, value: string | null): string {
  const snapshot = syntheticSnapshot({ pods: 3, seed: 7 });
  const first = snapshot.objects.pods[0];
  if (first && value !== null) first.metadata.annotations = { 'example.com/note': value };
  return JSON.stringify({ ...snapshot, cluster: { ...snapshot.cluster, uid: clusterUid }, collectedAt: new Date().toISOString() });
}

/** The hostile bodies, built once (the generator must not compete with the server for CPU during the load). */
export function buildHostilePayloads(maxCompressedBytes: number): Record<Exclude<HostileKind, 'burst'>, Payload> {
  return {
    'long-string': { body: bytes(gzipSync(snapshotWithAnnotation('noisy-0', 'a'.repeat(80_000)))), gzip: true },
    // Separators and scheme-like fragments nested a million characters deep: what backtracking patterns choke on.
    'nested-separators': { body: bytes(gzipSync(snapshotWithAnnotation('noisy-1', 'a.b-c+d:/'.repeat(116_509).slice(0, 1 << 20)))), gzip: true },
    // 300 MB of zeros in about 300 KB: under the wire limit, far over the decompressed one.
    'gzip-bomb': { body: bytes(gzipSync(Buffer.alloc(300 * 1024 * 1024), { level: 9 })), gzip: true },
    oversized: { body: new Uint8Array(maxCompressedBytes + 1024 * 1024).fill(0x20), gzip: false },
  };
}

export type HostileTally = { kind: HostileKind; latencyMs: Summary; byStatus: Record<string, number> }[];

export class HostileRecorder {
  private readonly samples = new Map<HostileKind, number[]>();
  private readonly statuses = new Map<HostileKind, Record<string, number>>();

  record(kind: HostileKind, status: number, ms: number): void {
    this.samples.set(kind, [...(this.samples.get(kind) ?? []), ms]);
    const counts = this.statuses.get(kind) ?? {};
    counts[String(status)] = (counts[String(status)] ?? 0) + 1;
    this.statuses.set(kind, counts);
  }

  tally(): HostileTally {
    return [...this.statuses.keys()].map((kind) => ({ kind, latencyMs: summarize(this.samples.get(kind) ?? []), byStatus: this.statuses.get(kind) ?? {} }));
  }
}

type HostileOptions = { baseUrl: string; deadline: number; signal: AbortSignal; recorder: HostileRecorder };

async function send(kind: HostileKind, token: string, payload: Payload, options: HostileOptions): Promise<void> {
  const started = performance.now();
  try {
    const response = await fetch(`${options.baseUrl}/api/v1/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(payload.gzip ? { 'content-encoding': 'gzip' } : {}) },
      body: payload.body,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(60_000)]),
    });
    await response.arrayBuffer();
    options.recorder.record(kind, response.status, performance.now() - started);
  } catch {
    // The server may close the connection on an oversized body before reading it all: an answer all the same.
    if (!options.signal.aborted) options.recorder.record(kind, 0, performance.now() - started);
  }
}

async function every(periodMs: number, options: HostileOptions, action: () => Promise<void>): Promise<void> {
  while (!options.signal.aborted && Date.now() < options.deadline) {
    const next = Date.now() + periodMs;
    await action();
    const wait = Math.min(next, options.deadline) - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => {});
  }
}

/** Runs every hostile behaviour until the deadline; each kind waits for its previous request before the next. */
export async function runHostileTenant(tenant: HostileTenant, payloads: ReturnType<typeof buildHostilePayloads>, options: HostileOptions): Promise<void> {
  const burstTokens = tenant.tokens.slice(Object.keys(SCHEDULE).length);
  let round = 0;
  await Promise.all([
    ...Object.entries(SCHEDULE).map(([kind, { everyMs, token }]) =>
      every(everyMs, options, () => send(kind as HostileKind, tenant.tokens[token] ?? '', payloads[kind as keyof typeof SCHEDULE], options))),
    every(BURST_EVERY_MS, options, async () => {
      round += 1;
      await Promise.all(Array.from({ length: BURST_SIZE }, (_, i) => {
        const index = (round * BURST_SIZE + i) % burstTokens.length;
        // Small valid snapshots: what the quota, not the validation, has to stop.
        const body = bytes(gzipSync(snapshotWithAnnotation(`noisy-burst-${index}`, null)));
        return send('burst', burstTokens[index] ?? '', { body, gzip: true }, options);
      }));
    }),
  ]);
}

function ms(value: number): string {
  return value >= 1_000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

/** The noisy-neighbour targets: the other tenants' service while the hostile one is throttled. */
export function noisyTargets(routes: readonly RouteResult[], ingestRoute: string, pageRoutes: readonly string[], probeRoute: string, hostile: HostileTally): TargetResult[] {
  const p95 = (route: string) => routes.find((r) => r.route === route)?.latencyMs;
  const ingest = p95(ingestRoute);
  const pages = pageRoutes.map((route) => ({ route, summary: p95(route) })).filter((entry) => entry.summary?.n);
  const worstPage = pages.reduce<{ route: string; p95: number } | null>((worst, entry) => (!worst || (entry.summary?.p95 ?? 0) > worst.p95 ? { route: entry.route, p95: entry.summary?.p95 ?? 0 } : worst), null);
  const health = p95(probeRoute);
  const serverErrors = routes.reduce((sum, r) => sum + Object.entries(r.errors.byStatus).filter(([status]) => Number(status) >= 500).reduce((n, [, count]) => n + count, 0), 0)
    + hostile.reduce((sum, h) => sum + Object.entries(h.byStatus).filter(([status]) => Number(status) >= 500).reduce((n, [, count]) => n + count, 0), 0);
  const throttled = hostile.reduce((sum, h) => sum + (h.byStatus['429'] ?? 0), 0);
  const hostileAccepted = hostile.reduce((sum, h) => sum + (h.byStatus['202'] ?? 0), 0);
  const hostileSent = hostile.reduce((sum, h) => sum + Object.values(h.byStatus).reduce((a, b) => a + b, 0), 0);
  return [
    { target: `other tenants' ingest 202 p95 < ${NOISY_TARGETS.ingestP95Ms} ms`, actual: ingest?.n ? ms(ingest.p95) : 'no 202 answers', met: Boolean(ingest?.n) && (ingest?.p95 ?? Infinity) < NOISY_TARGETS.ingestP95Ms },
    { target: `page p95 < ${NOISY_TARGETS.pageP95Ms} ms (worst route)`, actual: worstPage ? `${ms(worstPage.p95)} (${worstPage.route})` : 'no page answered', met: worstPage !== null && worstPage.p95 < NOISY_TARGETS.pageP95Ms },
    { target: `/api/health p95 < ${NOISY_TARGETS.healthP95Ms} ms`, actual: health?.n ? ms(health.p95) : 'no answer', met: Boolean(health?.n) && (health?.p95 ?? Infinity) < NOISY_TARGETS.healthP95Ms },
    { target: 'zero 5xx (every tenant, hostile included)', actual: String(serverErrors), met: serverErrors === 0 },
    { target: 'hostile tenant throttled (429s)', actual: `${throttled} × 429 of ${hostileSent} hostile requests; ${hostileAccepted} accepted`, met: throttled > 0 },
  ];
}

export function renderHostile(hostile: HostileTally): string {
  return [
    '| hostile request | sent | p50 | p95 | max | answers |',
    '|---|---:|---:|---:|---:|---|',
    ...hostile.map((h) => `| ${h.kind} | ${h.latencyMs.n} | ${ms(h.latencyMs.p50)} | ${ms(h.latencyMs.p95)} | ${ms(h.latencyMs.max)} | ${Object.entries(h.byStatus).map(([status, n]) => `${n}×${status === '0' ? 'closed' : status}`).join(' ')} |`),
  ].join('\n');
}
