import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dbFor, systemDb } from './tenant';
import { disconnectDb } from './client';
import { advisoryXactLock, LOCKS, type LockName } from './locks';
import { createOrg } from '../../testing/factories';

afterAll(() => disconnectDb());

/**
 * The keys as earlier versions spelled them in their statements. A running process of the previous version must
 * still exclude a new one during a rolling deploy, so these numbers never change.
 */
const KEYS_SPELLED_OUT: Record<LockName, number> = { auditChain: 7, clusterEvaluation: 11, ticketNumber: 13, reportRequest: 17, evidenceQuota: 19 };

/** What an earlier version ran, on another connection: true when nobody holds that lock. */
async function freeForEarlierVersion(scopeId: string, key: number): Promise<boolean> {
  const [row] = await systemDb().$queryRawUnsafe<{ free: boolean }[]>(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, ${key})) AS free`, scopeId);
  return row!.free;
}

describe('named advisory locks', () => {
  it('keep the keys earlier versions used, one key per lock', () => {
    expect(LOCKS).toEqual(KEYS_SPELLED_OUT);
    expect(new Set(Object.values(LOCKS)).size).toBe(Object.keys(LOCKS).length);
  });

  it.each(Object.keys(KEYS_SPELLED_OUT) as LockName[])('%s excludes an earlier version holding the same lock, for the same scope only, until the transaction ends', async (name) => {
    const org = await createOrg();
    const scopeId = randomUUID();
    let taken!: () => void;
    let release!: () => void;
    const lockTaken = new Promise<void>((resolve) => { taken = resolve; });
    const released = new Promise<void>((resolve) => { release = resolve; });
    const holder = dbFor({ organizationId: org.id }).$transaction(async (tx) => {
      await advisoryXactLock(tx, name, scopeId);
      taken();
      await released;
    });
    try {
      await lockTaken;
      expect(await freeForEarlierVersion(scopeId, KEYS_SPELLED_OUT[name])).toBe(false);
      expect(await freeForEarlierVersion(randomUUID(), KEYS_SPELLED_OUT[name])).toBe(true);
      for (const other of Object.values(KEYS_SPELLED_OUT).filter((key) => key !== KEYS_SPELLED_OUT[name])) {
        expect(await freeForEarlierVersion(scopeId, other)).toBe(true);
      }
    } finally {
      release();
      await holder;
    }
    expect(await freeForEarlierVersion(scopeId, KEYS_SPELLED_OUT[name])).toBe(true);
  });
});
