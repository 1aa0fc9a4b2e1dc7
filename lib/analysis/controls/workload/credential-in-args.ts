import { defineControl } from '@/lib/analysis/model/control';
import { credentialsInArguments } from '@/lib/analysis/model/credentials';
import { credentialHitViolations } from './credential-hits';
import { WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const credentialInArgs = defineControl({
  id: 'workload.credential-in-args',
  version: 1,
  title: 'No credentials in container command or arguments',
  description:
    'Reports command and args entries that hold a credential: `--db-password=…`, a value after a flag that names a credential, or a token-shaped argument, as the agent redacted them (or the same detectors find them in a manifest). The finding names the container, the argument index, the flag and the detector, never the value.',
  rationale:
    'Arguments are part of the pod spec (readable by whoever can read the workload, kept in GitOps repositories and CI logs) and of the process list on the node (`ps`, /proc/<pid>/cmdline), and they do not rotate with a Secret.',
  remediation:
    'Pass the credential from a Secret: mount it as a file and point the program at the file (`--db-password-file=/run/secrets/db/password`), or, if the program only reads arguments, expand an env var from a secretKeyRef (`$(DB_PASSWORD)`). Then rotate the credential: the old value has been exposed.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.4.1'], iso27001: ['A.5.17', 'A.8.12'], nsa: ['secrets'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => credentialHitViolations(workload, credentialsInArguments, 'flag', (container, hit) => `${container} has a credential in ${hit.field}${hit.label ? ` (${hit.label}…)` : ''}`),
});
