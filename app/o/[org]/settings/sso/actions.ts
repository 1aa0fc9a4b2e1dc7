'use server';
import { orgAction } from '@/lib/web/action';
import {
  ClaimDomainSchema, CreateSsoConnectionSchema, DeleteSsoConnectionSchema, DomainIdSchema, RotateSsoSecretSchema, SetDomainConnectionSchema,
  SetSsoConnectionEnabledSchema, SetSsoEnforcementSchema, UpdateSsoConnectionSchema,
} from '@/lib/services/sso/schemas';
import { createSsoConnection, deleteSsoConnection, rotateSsoSecret, setSsoConnectionEnabled, updateSsoConnection } from '@/lib/services/sso/connections';
import { claimDomain, deleteDomain, setDomainConnection, verifyDomain } from '@/lib/services/sso/domains';
import { setSsoEnforcement } from '@/lib/services/sso/enforcement';

// Settings -> Single sign-on. Each is called as `someAction(orgSlug, input)`; the services authorize (owners) and audit.

export const createSsoConnectionAction = orgAction(CreateSsoConnectionSchema, (ctx, input) => createSsoConnection(ctx, input));
export const updateSsoConnectionAction = orgAction(UpdateSsoConnectionSchema, (ctx, input) => updateSsoConnection(ctx, input));
export const rotateSsoSecretAction = orgAction(RotateSsoSecretSchema, rotateSsoSecret);
export const setSsoConnectionEnabledAction = orgAction(SetSsoConnectionEnabledSchema, setSsoConnectionEnabled);
export const deleteSsoConnectionAction = orgAction(DeleteSsoConnectionSchema, deleteSsoConnection);

export const claimDomainAction = orgAction(ClaimDomainSchema, claimDomain);
export const verifyDomainAction = orgAction(DomainIdSchema, verifyDomain);
export const setDomainConnectionAction = orgAction(SetDomainConnectionSchema, setDomainConnection);
export const deleteDomainAction = orgAction(DomainIdSchema, deleteDomain);

export const setSsoEnforcementAction = orgAction(SetSsoEnforcementSchema, setSsoEnforcement);
