import { requireUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { parseInput } from '../../platform/input';
import { SetDigestSchema, type DigestFrequency } from './schemas';

/** `unsubscribed`: the member opted out of digests with a mail's link (so none is sent until they choose again). */
export type DigestSettingView = { frequency: DigestFrequency; timeZone: string | null; unsubscribed: boolean };

async function memberEmail(tx: TenantTx, organizationId: string, userId: string): Promise<string | null> {
  const member = await tx.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } }, select: { user: { select: { email: true } } } });
  return member?.user.email ? member.user.email.trim().toLowerCase() : null;
}

/** The signed-in member's own digest choice in this organization ('none' until they choose one). */
export async function getMyDigestSetting(ctx: OrgContext): Promise<DigestSettingView> {
  const userId = requireUserId(ctx, 'have a digest');
  return dbFor(ctx).$transaction(async (tx) => {
    const row = await tx.digestSetting.findUnique({ where: { organizationId_userId: { organizationId: ctx.organizationId, userId } }, select: { frequency: true, timeZone: true } });
    const email = await memberEmail(tx, ctx.organizationId, userId);
    const unsubscribed = email ? (await tx.mailOptOut.count({ where: { category: 'digest', email } })) > 0 : false;
    return row ? { frequency: row.frequency as DigestFrequency, timeZone: row.timeZone, unsubscribed } : { frequency: 'none', timeZone: null, unsubscribed };
  });
}

/**
 * Sets the signed-in member's own digest (every member may: it is their mail, and it lists only what they may see).
 * An API token or a job has no digest. Choosing a digest again also lifts an earlier unsubscribe from digests.
 */
export async function setMyDigest(ctx: OrgContext, input: unknown): Promise<DigestSettingView> {
  const userId = requireUserId(ctx, 'choose a digest');
  const data = parseInput(SetDigestSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const row = await tx.digestSetting.upsert({
      where: { organizationId_userId: { organizationId: ctx.organizationId, userId } },
      create: { organizationId: ctx.organizationId, userId, frequency: data.frequency, timeZone: data.timeZone },
      update: { frequency: data.frequency, timeZone: data.timeZone },
      select: { frequency: true, timeZone: true },
    });
    if (data.frequency !== 'none') {
      const email = await memberEmail(tx, ctx.organizationId, userId);
      if (email) await tx.mailOptOut.deleteMany({ where: { category: 'digest', email } });
    }
    return { frequency: row.frequency as DigestFrequency, timeZone: row.timeZone, unsubscribed: false };
  });
}
