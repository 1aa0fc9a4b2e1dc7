import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { queuePrefix } from './connection';
import type { QueueName } from './jobs';

/**
 * Fair scheduling across organizations, written by hand because BullMQ's groups are a BullMQ Pro feature.
 *
 * A job is first offered to its organization's pending list in Redis; organizations with pending jobs stand in
 * a ring. A dispatcher keeps only a few jobs waiting in the BullMQ queue itself and refills it by taking one
 * job from the organization at the head of the ring, which then goes to the back. So an organization that
 * queues one job behind another's backlog of fifty waits for a handful of jobs, not fifty.
 *
 * Offering and taking are Lua scripts, so the ring and the lists stay consistent with several web and worker
 * processes at once. A taken job is parked in a hash until BullMQ has it; a process that dies in between leaves
 * it there, and a starting worker adds it again (the job id makes a second add a no-op).
 */

const FairEntrySchema = z.object({
  name: z.string(),
  data: z.object({ organizationId: z.string() }).catchall(z.unknown()),
  opts: z.object({ jobId: z.string() }).catchall(z.unknown()),
});
export type FairEntry = { name: string; data: { organizationId: string } & Record<string, unknown>; opts: JobsOptions & { jobId: string } };

// KEYS: ring, pending ids, the organization's list. ARGV: job id, entry, organization id.
// An id already pending is not offered twice (a retried upload, a sweeper pass).
const OFFER = `
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[3], ARGV[2])
if redis.call('LLEN', KEYS[3]) == 1 then redis.call('RPUSH', KEYS[1], ARGV[3]) end
return 1`;

// KEYS: ring, pending ids, parked. ARGV: prefix of the organizations' lists.
// The list key is built here from the organization at the head of the ring (one Redis, not a cluster).
const TAKE = `
local org = redis.call('LPOP', KEYS[1])
if not org then return false end
local list = ARGV[1] .. org
local entry = redis.call('LPOP', list)
if redis.call('LLEN', list) > 0 then redis.call('RPUSH', KEYS[1], org) end
if not entry then return false end
local id = cjson.decode(entry)['opts']['jobId']
redis.call('SREM', KEYS[2], id)
redis.call('HSET', KEYS[3], id, entry)
return entry`;

function keys(queue: QueueName) {
  const base = `${queuePrefix()}:fair:${queue}`;
  return { ring: `${base}:ring`, ids: `${base}:ids`, parked: `${base}:parked`, listPrefix: `${base}:org:` };
}

/** Puts a job in its organization's pending list; false when a job with that id is already pending. */
export async function offerFairJob(redis: Redis, queue: QueueName, entry: FairEntry): Promise<boolean> {
  const k = keys(queue);
  const added = await redis.eval(OFFER, 3, k.ring, k.ids, `${k.listPrefix}${entry.data.organizationId}`, entry.opts.jobId, JSON.stringify(entry), entry.data.organizationId);
  return added === 1;
}

/**
 * Moves jobs into the BullMQ queue, one organization at a time, until `window` jobs wait there (jobs running,
 * delayed or retried do not count). Returns how many it moved.
 */
export async function dispatchFairJobs(redis: Redis, queue: Queue, name: QueueName, window: number): Promise<number> {
  const k = keys(name);
  const counts = await queue.getJobCounts('waiting', 'prioritized');
  const room = window - (counts.waiting ?? 0) - (counts.prioritized ?? 0);
  let moved = 0;
  while (moved < room) {
    const raw = await redis.eval(TAKE, 3, k.ring, k.ids, k.parked, k.listPrefix);
    if (typeof raw !== 'string') break;
    await addParked(redis, queue, k.parked, raw);
    moved += 1;
  }
  return moved;
}

/** Adds every job a dead process took but never handed to BullMQ. */
export async function recoverParkedJobs(redis: Redis, queue: Queue, name: QueueName): Promise<number> {
  const k = keys(name);
  const parked = await redis.hvals(k.parked);
  for (const raw of parked) await addParked(redis, queue, k.parked, raw);
  return parked.length;
}

/** How many jobs wait in the organizations' pending lists (not yet in BullMQ). */
export async function countPendingFairJobs(redis: Redis, name: QueueName): Promise<number> {
  return redis.scard(keys(name).ids);
}

/** The ids of an organization's jobs still in its pending list, in the order they were offered. */
export async function listPendingFairJobIds(redis: Redis, name: QueueName, organizationId: string): Promise<string[]> {
  const raw = await redis.lrange(`${keys(name).listPrefix}${organizationId}`, 0, -1);
  return raw.map((entry) => FairEntrySchema.parse(JSON.parse(entry)).opts.jobId);
}

async function addParked(redis: Redis, queue: Queue, parkedKey: string, raw: string): Promise<void> {
  const entry = FairEntrySchema.parse(JSON.parse(raw));
  await queue.add(entry.name, entry.data, entry.opts as JobsOptions);
  await redis.hdel(parkedKey, entry.opts.jobId);
}
