import { containerViolation, defineControl } from '@/lib/analysis/model/control';
import { isImageAllowed, imageRefOf } from '@/lib/analysis/model/images';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const imageRegistry = defineControl({
  id: 'workload.image-registry',
  version: 1,
  title: 'Images come from allowed registries',
  description: 'Reports containers whose image is outside the organization\'s list of allowed registries. Runs only when a list is configured.',
  rationale: 'Images from registries you do not control skip your build, scanning and signing pipeline, and can change or vanish without notice.',
  remediation: 'Mirror the image into an allowed registry and reference the mirror, or add the registry to the allowed list if it is trusted.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: [], iso27001: ['A.8.19', 'A.5.21'], nsa: ['image-scanning'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  notApplicableReason: (ctx) => (ctx.allowedRegistries && ctx.allowedRegistries.length > 0 ? undefined : 'no allowed registries are configured'),
  check: (workload, ctx) => {
    const allowed = ctx.allowedRegistries ?? [];
    return workload.containers
      .filter((c) => { const image = imageRefOf(c); return image !== undefined && !isImageAllowed(image, allowed); })
      .map((c) => containerViolation(c, 'image', `${describeContainer(c)} uses image ${c.image ?? ''} from a registry outside the allowed list`, c.image ?? null));
  },
});
