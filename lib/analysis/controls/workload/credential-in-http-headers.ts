import { defineControl } from '@/lib/analysis/model/control';
import { credentialsInHeaders } from '@/lib/analysis/model/credentials';
import { credentialHitViolations } from './credential-hits';
import { WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const credentialInHttpHeaders = defineControl({
  id: 'workload.credential-in-http-headers',
  version: 1,
  title: 'No credentials in probe or lifecycle HTTP headers',
  description:
    'Reports httpGet headers of liveness, readiness and startup probes and of postStart/preStop hooks whose value is a credential (an Authorization bearer token, an X-Api-Key), as the agent redacted them or the same detectors find them in a manifest. The finding names the container, the probe and the header, never the value.',
  rationale:
    'Probe headers are literal values in the pod spec: they cannot come from a Secret, so a token placed there is readable by whoever can read the workload and is never rotated with one.',
  remediation:
    'Give the health endpoint no credential (serve it on a separate port or path without authentication), or use an exec probe that reads the credential from a mounted Secret. Then rotate the credential.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.4.1'], iso27001: ['A.5.17', 'A.8.12'], nsa: ['secrets'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => credentialHitViolations(workload, credentialsInHeaders, 'header', (container, hit) => `${container} sends a credential in${hit.label ? ` header ${hit.label}` : ' a header'} at ${hit.field}`),
});
