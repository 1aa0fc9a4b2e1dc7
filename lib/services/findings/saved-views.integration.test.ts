import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { isAppError, type AppError } from '../../platform/errors';
import type { OrgContext } from '../../platform/auth/context';
import { createMember, createOrg } from '../../testing/factories';
import { createSavedView, deleteSavedView, listSavedViews, renameSavedView } from './saved-views';
import { MAX_SAVED_VIEWS } from './schemas';

// Saved views are one user's, within one organization: another member, or the same person in another
// organization, neither sees nor changes them.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

let acme: { id: string; slug: string };
let dana: OrgContext;
let eli: OrgContext;
let danaAtGlobex: OrgContext;

beforeAll(async () => {
  acme = await createOrg();
  const globex = await createOrg();
  const member = await createMember(acme, 'VIEWER'); // viewers read findings, so they may name lists too
  dana = member.ctx;
  eli = (await createMember(acme, 'MEMBER')).ctx;
  await systemDb().membership.create({ data: { organizationId: globex.id, userId: member.user.id, role: 'OWNER' } });
  danaAtGlobex = { ...dana, organizationId: globex.id, organizationSlug: globex.slug, actor: { ...dana.actor, role: 'OWNER' } as OrgContext['actor'] };
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('saved findings views', () => {
  it('saves the query string without its page, lists, renames and deletes it, for its owner only', async () => {
    const view = await createSavedView(dana, { name: '  Critical in prod  ', query: '?severity=CRITICAL&cluster=c1&sort=cluster&dir=desc&page=3' });
    expect(view).toMatchObject({ name: 'Critical in prod', query: 'severity=CRITICAL&cluster=c1&sort=cluster&dir=desc' });
    expect((await listSavedViews(dana)).map((v) => v.name)).toEqual(['Critical in prod']);

    // Another member of the same organization, and the same person in another organization, see nothing ...
    expect(await listSavedViews(eli)).toEqual([]);
    expect(await listSavedViews(danaAtGlobex)).toEqual([]);
    // ... and can change nothing: the view is "not found" to them.
    expect((await failure(renameSavedView(eli, { viewId: view.id, name: 'Mine now' }))).status).toBe(404);
    expect((await failure(deleteSavedView(eli, { viewId: view.id }))).status).toBe(404);
    expect((await failure(renameSavedView(danaAtGlobex, { viewId: view.id, name: 'Mine now' }))).status).toBe(404);
    expect((await failure(deleteSavedView(danaAtGlobex, { viewId: view.id }))).status).toBe(404);
    // Even a raw read in the other organization's tenant transaction cannot see the row (RLS).
    expect(await dbFor(danaAtGlobex).savedFindingView.count()).toBe(0);

    // Eli may use the same name for their own view.
    await createSavedView(eli, { name: 'Critical in prod', query: 'severity=CRITICAL' });
    expect((await renameSavedView(dana, { viewId: view.id, name: 'Prod criticals' })).name).toBe('Prod criticals');
    expect((await listSavedViews(dana)).map((v) => v.name)).toEqual(['Prod criticals']);
    await deleteSavedView(dana, { viewId: view.id });
    expect(await listSavedViews(dana)).toEqual([]);
    expect((await listSavedViews(eli)).map((v) => v.name)).toEqual(['Critical in prod']);
  });

  it('validates names: 1 to 80 characters, unique per user (409 naming the field)', async () => {
    const empty = await failure(createSavedView(dana, { name: '   ', query: '' }));
    expect(empty.status).toBe(400);
    expect(empty.issues[0]).toMatchObject({ path: 'name' });
    const long = await failure(createSavedView(dana, { name: 'x'.repeat(81), query: '' }));
    expect(long.issues[0]).toMatchObject({ path: 'name', message: 'At most 80 characters' });
    await createSavedView(dana, { name: 'x'.repeat(80), query: '' });

    await createSavedView(dana, { name: 'Overdue', query: 'overdue=1' });
    const duplicate = await failure(createSavedView(dana, { name: 'Overdue', query: 'overdue=1&mine=1' }));
    expect(duplicate).toMatchObject({ status: 409, message: 'You already have a view named "Overdue"' });
    expect(duplicate.issues[0]).toMatchObject({ path: 'name' });
    const other = await createSavedView(dana, { name: 'Mine', query: 'mine=1' });
    const renamedOnto = await failure(renameSavedView(dana, { viewId: other.id, name: 'Overdue' }));
    expect(renamedOnto.status).toBe(409);
  });

  it(`keeps at most ${MAX_SAVED_VIEWS} views per user, also when saved at the same moment`, async () => {
    const { ctx: fay } = await createMember(acme, 'AUDITOR');
    const outcomes = await Promise.all(Array.from({ length: MAX_SAVED_VIEWS + 3 }, (_, i) => createSavedView(fay, { name: `View ${i}`, query: `q=${i}` })
      .then(() => 'saved', (error: unknown) => (isAppError(error) ? `${error.status} ${error.message}` : String(error)))));
    // Exactly three refused, each for the cap: not for a transaction that gave up waiting for a connection.
    expect(outcomes.filter((outcome) => outcome !== 'saved')).toEqual(Array.from({ length: 3 }, () => `409 You have ${MAX_SAVED_VIEWS} saved views, the most there can be: delete one first`));
    expect(await listSavedViews(fay)).toHaveLength(MAX_SAVED_VIEWS);
    const over = await failure(createSavedView(fay, { name: 'One more', query: '' }));
    expect(over.status).toBe(409);
    expect(over.message).toContain(`${MAX_SAVED_VIEWS} saved views`);
  });

  it('needs a person: an API token has no saved views', async () => {
    const token: OrgContext = { ...dana, actor: { kind: 'apiToken', tokenId: '00000000-0000-4000-8000-000000000000', role: 'ADMIN' } };
    expect((await failure(listSavedViews(token))).status).toBe(403);
  });
});
