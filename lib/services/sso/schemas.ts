import { z } from 'zod';

// Input schemas of the single sign-on settings. No database import: the settings forms validate with these too.

const IdSchema = z.uuid('not a valid id');
const NoControl = /^[^\p{Cc}]*$/u;

const IssuerSchema = z.string().trim().min(1, 'enter the issuer URL').max(500, 'at most 500 characters')
  .pipe(z.url({ protocol: /^https?$/, error: 'enter an https:// URL' }));
const ScopesSchema = z.string().trim().max(500, 'at most 500 characters')
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'space-separated scope names')
  .refine((value) => value.split(' ').includes('openid'), 'must include openid');
const GroupClaimSchema = z.string().trim().min(1, 'enter the claim name').max(200, 'at most 200 characters')
  .regex(/^[A-Za-z0-9_:./-]+$/, 'letters, digits and _ : . / - only');
const SecretSchema = z.string().min(1, 'enter the client secret').max(4096, 'at most 4096 characters').regex(NoControl, 'no control characters');

export const CreateSsoConnectionSchema = z.object({
  name: z.string().trim().min(1, 'enter a name').max(100, 'at most 100 characters').regex(NoControl, 'no control characters'),
  issuer: IssuerSchema,
  clientId: z.string().trim().min(1, 'enter the client id').max(500, 'at most 500 characters').regex(NoControl, 'no control characters'),
  clientSecret: SecretSchema,
  scopes: ScopesSchema.default('openid email profile'),
  groupClaim: GroupClaimSchema.default('groups'),
});
export type CreateSsoConnectionInput = z.input<typeof CreateSsoConnectionSchema>;

/** Everything but the secret, which only "rotate secret" changes (it is never shown again once saved). */
export const UpdateSsoConnectionSchema = CreateSsoConnectionSchema.omit({ clientSecret: true }).extend({ connectionId: IdSchema });
export type UpdateSsoConnectionInput = z.input<typeof UpdateSsoConnectionSchema>;

export const RotateSsoSecretSchema = z.object({ connectionId: IdSchema, clientSecret: SecretSchema });
export type RotateSsoSecretInput = z.input<typeof RotateSsoSecretSchema>;

export const SetSsoConnectionEnabledSchema = z.object({ connectionId: IdSchema, enabled: z.boolean() });
export type SetSsoConnectionEnabledInput = z.input<typeof SetSsoConnectionEnabledSchema>;

export const DeleteSsoConnectionSchema = z.object({ connectionId: IdSchema });
export type DeleteSsoConnectionInput = z.input<typeof DeleteSsoConnectionSchema>;

// ───────────── verified domains ─────────────

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** "Example.COM." → "example.com"; internationalized names in their ASCII (punycode) form. */
export const DomainSchema = z.string().trim().toLowerCase().max(253, 'at most 253 characters')
  .transform((value) => value.replace(/\.$/, ''))
  .superRefine((value, issue) => {
    const problem =
      value === '' ? 'enter a domain'
      : value.includes('@') ? 'the domain only, without the part before @'
      : value.includes('://') || value.includes('/') ? 'the domain only, without https:// or a path'
      : value.includes('*') ? 'no wildcards'
      : null;
    if (problem) { issue.addIssue({ code: 'custom', message: problem }); return; }
    let ascii: string;
    try {
      ascii = new URL(`http://${value}`).hostname;
    } catch {
      issue.addIssue({ code: 'custom', message: 'not a valid domain name' });
      return;
    }
    const labels = ascii.split('.');
    if (labels.length < 2) issue.addIssue({ code: 'custom', message: 'a registered domain such as example.com' });
    else if (!labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels.at(-1) ?? '')) issue.addIssue({ code: 'custom', message: 'not a valid domain name' });
  })
  .transform((value) => new URL(`http://${value}`).hostname);

export const ClaimDomainSchema = z.object({ domain: DomainSchema });
export type ClaimDomainInput = z.input<typeof ClaimDomainSchema>;

export const DomainIdSchema = z.object({ domainId: IdSchema });
export type DomainIdInput = z.input<typeof DomainIdSchema>;

/** Which of the organization's connections people at this domain sign in through (null: none, the platform IdP). */
export const SetDomainConnectionSchema = z.object({ domainId: IdSchema, connectionId: IdSchema.nullable() });
export type SetDomainConnectionInput = z.input<typeof SetDomainConnectionSchema>;

// ───────────── enforcement ─────────────

export const SetSsoEnforcementSchema = z.object({
  enforced: z.boolean(),
  /** An owner who may still reach the organization with any sign-in, for when the IdP is down. */
  breakGlassUserId: IdSchema.nullable(),
});
export type SetSsoEnforcementInput = z.input<typeof SetSsoEnforcementSchema>;

/** The provider id next-auth knows an organization's connection by; also the last segment of its redirect URI. */
export function ssoProviderId(connectionId: string): string {
  return `sso-${connectionId}`;
}

const PROVIDER_ID = /^sso-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The connection id in a provider id, or null for a platform provider. */
export function connectionIdFromProviderId(providerId: string): string | null {
  return PROVIDER_ID.exec(providerId)?.[1] ?? null;
}
