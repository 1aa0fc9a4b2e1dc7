import { CIS_VERSIONS } from '../../analysis/frameworks/cis-versions';
import { z } from 'zod';
import { AppError, issuesFromZod } from '../../platform/errors';

// Input schemas of the organization settings services. No database import here: the settings forms import
// this file too, so the browser and the server validate with the same rules.

export const RoleSchema = z.enum(['OWNER', 'ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER']);
const IdSchema = z.uuid('not a valid id');

// ───────────── members and invitations ─────────────

export const InviteMemberSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('enter an email address')),
  role: RoleSchema,
});
export type InviteMemberInput = z.input<typeof InviteMemberSchema>;

export const ChangeMemberRoleSchema = z.object({ membershipId: IdSchema, role: RoleSchema });
export type ChangeMemberRoleInput = z.input<typeof ChangeMemberRoleSchema>;

export const RemoveMemberSchema = z.object({ membershipId: IdSchema });
export type RemoveMemberInput = z.input<typeof RemoveMemberSchema>;

/** Revoke or resend (a new link) a pending invitation. */
export const RevokeInvitationSchema = z.object({ invitationId: IdSchema });
export type RevokeInvitationInput = z.input<typeof RevokeInvitationSchema>;

export const DEFAULT_INVITATION_EXPIRY_DAYS = 7;
export const InvitationExpiryDaysSchema = z.number({ error: 'enter a number of days' }).int('whole days only').min(1, 'at least 1 day').max(90, 'at most 90 days');

// ───────────── teams ─────────────

const TeamNameSchema = z.string().trim().min(1, 'enter a name').max(80, 'at most 80 characters');

export const CreateTeamSchema = z.object({ name: TeamNameSchema });
export type CreateTeamInput = z.input<typeof CreateTeamSchema>;

export const RenameTeamSchema = z.object({ teamId: IdSchema, name: TeamNameSchema });
export type RenameTeamInput = z.input<typeof RenameTeamSchema>;

export const DeleteTeamSchema = z.object({ teamId: IdSchema });
export type DeleteTeamInput = z.input<typeof DeleteTeamSchema>;

export const TeamMemberSchema = z.object({ teamId: IdSchema, userId: IdSchema });
export type TeamMemberInput = z.input<typeof TeamMemberSchema>;

// ───────────── general settings ─────────────

const DaysSchema = z.number({ error: 'enter a number of days' }).int('whole days only').min(1, 'at least 1 day').max(365, 'at most 365 days');
export const DueDaysSchema = z.object({ CRITICAL: DaysSchema, HIGH: DaysSchema, MEDIUM: DaysSchema, LOW: DaysSchema });
export type DueDays = z.infer<typeof DueDaysSchema>;
export const DEFAULT_DUE_DAYS: DueDays = { CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 };

export const MAX_ALLOWED_REGISTRIES = 50;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
// A host as the engine reads it (lib/analysis/model/images.ts): it has a dot or a port, or is localhost. Anything else in
// the first segment is a Docker Hub namespace, which must be written docker.io/<namespace>/.
const REGISTRY_PREFIX = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})+(?::[0-9]{1,5})?|localhost(?::[0-9]{1,5})?|${LABEL}:[0-9]{1,5})(?:/${PATH_COMPONENT})*/?$`);

/** "ghcr.io/acme/", "registry.example.com", "localhost:5000/team": a registry host with an optional path prefix. */
/** A tag (':' after the last '/') or a digest ('@') past the host. Index arithmetic, not /:[^/]*$/: that regex
 * retries from every ':' and took seconds on 40,000 of them. */
function looksLikeImageReference(value: string): boolean {
  const path = value.slice(value.indexOf('/') + 1 || value.length);
  return path.includes('@') || path.lastIndexOf(':') > path.lastIndexOf('/');
}

export const RegistryPrefixSchema = z.string().trim().toLowerCase().max(255, 'at most 255 characters').superRefine((value, issue) => {
  if (value.length > 255) return; // .max() has said so; nothing longer is read further
  const problem =
    value === '' ? 'enter a registry, or remove the empty line'
    : value.includes('://') ? 'leave out the scheme (https://)'
    : value.includes('*') ? 'no wildcards: a prefix already covers everything below it'
    : looksLikeImageReference(value) ? 'a registry prefix, not an image: leave out the tag or digest'
    : !REGISTRY_PREFIX.test(value) ? 'start with a registry host (ghcr.io/acme/, registry.example.com, docker.io/library/)'
    : null;
  if (problem) issue.addIssue({ code: 'custom', message: problem });
});

export const AllowedRegistriesSchema = z
  .array(RegistryPrefixSchema)
  .max(MAX_ALLOWED_REGISTRIES, `at most ${MAX_ALLOWED_REGISTRIES} registries`)
  .transform((entries) => [...new Set(entries)]);

export const CisBenchmarkVersionSchema = z.enum(CIS_VERSIONS, { error: `choose ${CIS_VERSIONS.join(' or ')}` });

export const UpdateOrgSettingsSchema = z.object({
  name: z.string().trim().min(2, 'at least 2 characters').max(100, 'at most 100 characters'),
  dueDays: DueDaysSchema,
  allowedRegistries: AllowedRegistriesSchema,
  autoTicketCritical: z.boolean(),
  snapshotRetentionDays: z.number({ error: 'enter a number of days' }).int('whole days only').min(1, 'at least 1 day').max(3650, 'at most 3650 days (10 years)'),
  /** Days until a new invitation link expires; left out, it stays as it is. */
  invitationExpiryDays: InvitationExpiryDaysSchema.optional(),
  /** The CIS Kubernetes Benchmark version reports and scores use (1.9 or 1.12); left out, it stays as it is. */
  cisBenchmarkVersion: CisBenchmarkVersionSchema.optional(),
});
export type UpdateOrgSettingsInput = z.input<typeof UpdateOrgSettingsSchema>;

// ───────────── IdP groups and API tokens ─────────────

export const SetGroupMappingSchema = z.object({
  // Compared exactly with the `groups` claim at sign-in, so case and inner spaces are kept.
  group: z.string().trim().min(1, 'enter a group name').max(256, 'at most 256 characters').regex(/^[^\p{Cc}]*$/u, 'no control characters'),
  role: RoleSchema,
  /** The organization's own SSO connection whose `groups` claim this mapping reads. */
  connectionId: IdSchema,
});
export type SetGroupMappingInput = z.input<typeof SetGroupMappingSchema>;

export const DeleteGroupMappingSchema = z.object({ mappingId: IdSchema });
export type DeleteGroupMappingInput = z.input<typeof DeleteGroupMappingSchema>;

export const RevokeApiTokenSchema = z.object({ tokenId: IdSchema });
export type RevokeApiTokenInput = z.input<typeof RevokeApiTokenSchema>;

/** Parses a service's input; a bad one is an `invalid` AppError whose issues name each field (`dueDays.CRITICAL`). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid', 'Please correct the highlighted fields', issuesFromZod(parsed.error.issues));
  return parsed.data;
}
