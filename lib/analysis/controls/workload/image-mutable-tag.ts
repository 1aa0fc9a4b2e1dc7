import { containerViolation, defineControl, type Violation } from '@/lib/analysis/model/control';
import { imageRefOf } from '@/lib/analysis/model/images';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const imageMutableTag = defineControl({
  id: 'workload.image-mutable-tag',
  version: 1,
  title: 'Images name a version, not latest',
  description: 'Reports containers whose image has no tag or the tag latest, and no digest.',
  rationale: 'latest (and no tag, which means latest) changes under the same name: two pods of one Deployment can run different code, a rollback restores nothing, and nobody can say what was running at a given time.',
  remediation: 'Reference an explicit version, ideally with its digest: `image: ghcr.io/acme/api:1.8.2@sha256:…`.',
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: [], iso27001: ['A.8.32', 'A.8.19'], nsa: ['upgrades'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => {
    const violations: Violation[] = [];
    for (const c of workload.containers) {
      if (!c.image) continue;
      const image = imageRefOf(c);
      if (!image || image.digest) continue;
      if (image.tag === undefined) violations.push(containerViolation(c, 'image', `${describeContainer(c)} uses image ${c.image} without a tag (latest)`, c.image));
      else if (image.tag === 'latest') violations.push(containerViolation(c, 'image', `${describeContainer(c)} uses image ${c.image} with the mutable tag latest`, c.image));
    }
    return violations;
  },
});
