import { defineControl, violation, type Violation } from '@/lib/analysis/model/control';
import { credentialsInMetadata, describeHit } from '@/lib/analysis/model/credentials';
import { describeRef, isPodBearingKind, refOf } from '@/lib/analysis/model/kube';
import { podMetadataPathOf } from '@/lib/analysis/model/workload';
import { RESOURCE_KINDS, RESOURCE_NAMES } from '@/lib/analysis/snapshot/schema';

/** `spec.template.metadata` → its keys, split once per kind: every workload of a cluster comes here. */
const SEGMENTS = new Map<string, readonly string[]>();
function pathSegments(path: string): readonly string[] {
  let segments = SEGMENTS.get(path);
  if (!segments) SEGMENTS.set(path, (segments = path.split('.')));
  return segments;
}

export const credentialInMetadata = defineControl({
  id: 'secrets.credential-in-metadata',
  version: 1,
  title: 'No credentials in annotations or labels',
  description:
    'Reports annotations and labels of any object (and of pod templates) whose value is a credential: a token format, a private key, a URL with a password, as the agent redacted it in annotations or the same detectors find it. The finding names the object, the annotation or label key and the detector, never the value.',
  rationale:
    'Metadata is the most widely readable part of an object: list and watch permissions, dashboards, `kubectl describe`, audit logs and every controller see it. Labels are also sent to Bulwark as they are, because selectors match them.',
  remediation: 'Remove the value from the annotation or label and keep it in a Secret; tools that read credentials from annotations (some injectors and operators) can usually reference a Secret instead. Rotate the credential.',
  severity: 'high',
  kinds: RESOURCE_NAMES.map((name) => RESOURCE_KINDS[name]),
  mappings: { cis: ['5.4.1'], iso27001: ['A.5.17', 'A.8.12'], nsa: ['secrets'] },
  requires: [],
  target: 'object',
  check: (object) => {
    const hits = credentialsInMetadata(object.metadata, 'metadata');
    if (isPodBearingKind(object.kind) && object.kind !== 'Pod') {
      const base = podMetadataPathOf(object.kind);
      let template: unknown = object;
      for (const key of pathSegments(base)) template = typeof template === 'object' && template !== null ? (template as Record<string, unknown>)[key] : undefined;
      hits.push(...credentialsInMetadata(template, base));
    }
    return hits.map(
      (hit): Violation =>
        violation(
          `${describeRef(refOf(object))} has a credential in ${hit.field.includes('labels[') ? 'label' : 'annotation'} ${hit.label ?? ''} at ${hit.field} (${describeHit(hit)})`,
          hit.field,
          { redacted: true, reason: hit.reason, length: hit.length },
        ),
    );
  },
});
