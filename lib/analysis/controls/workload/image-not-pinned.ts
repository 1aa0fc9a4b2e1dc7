import { containerViolation, defineControl } from '@/lib/analysis/model/control';
import { imageRefOf } from '@/lib/analysis/model/images';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const imageNotPinned = defineControl({
  id: 'workload.image-not-pinned',
  version: 1,
  title: 'Images are pinned by digest',
  description: 'Reports containers whose image reference has no digest (@sha256:…).',
  rationale: 'A tag can be moved to other content by anyone who can push to the registry; a digest names exactly one image, so what was reviewed and scanned is what runs.',
  remediation: 'Append the digest to the image reference (`image: nginx:1.27.0@sha256:…`); tools such as Renovate or `crane digest` keep it current.',
  severity: 'low',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: [], iso27001: ['A.8.19', 'A.5.21'], nsa: ['image-scanning'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) =>
    workload.containers
      .filter((c) => c.image !== undefined && !imageRefOf(c)?.digest)
      .map((c) => containerViolation(c, 'image', `${describeContainer(c)} uses image ${c.image ?? ''} without a digest`, c.image ?? null)),
});
