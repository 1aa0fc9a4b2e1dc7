'use server';
import { orgAction } from '@/lib/web/action';
import { createCustomControl, setCustomControlEnabled, updateCustomControl } from '@/lib/services/policies/custom-controls';
import { previewRule } from '@/lib/services/policies/preview';
import { createOrgFramework } from '@/lib/services/policies/org-frameworks';
import { CreateCustomControlSchema, OrgFrameworkSchema, PreviewSchema, SetCustomControlEnabledSchema, UpdateCustomControlSchema } from '@/lib/services/policies/schemas';

// The forms' input is judged again by the services (compile on save, requirement references).
export const createCustomControlAction = orgAction(CreateCustomControlSchema, (ctx, input) => createCustomControl(ctx, input));
export const updateCustomControlAction = orgAction(UpdateCustomControlSchema, (ctx, input) => updateCustomControl(ctx, input));
export const setCustomControlEnabledAction = orgAction(SetCustomControlEnabledSchema, (ctx, input) => setCustomControlEnabled(ctx, input));
export const previewRuleAction = orgAction(PreviewSchema, (ctx, input) => previewRule(ctx, input));
export const createOrgFrameworkAction = orgAction(OrgFrameworkSchema, async (ctx, input) => {
  const framework = await createOrgFramework(ctx, input);
  return { id: framework.id };
});
