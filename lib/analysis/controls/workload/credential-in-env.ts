import { containerViolation, defineControl, type Violation } from '@/lib/analysis/model/control';
import { containerItem, type EnvVar } from '@/lib/analysis/model/workload-types';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

/** Names that announce a credential. Suffixes like _PATH or _FILE point at one instead and are fine. */
const SENSITIVE_NAME = /(passw(or)?d|pwd|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|auth[_-]?key|jwt|bearer)/i;
const REFERENCE_SUFFIX = /(_|-)(path|file|dir|url|uri|endpoint|name|id|ttl|length|expiry|header)$/i;

/** Values that are credentials whatever the variable is called. */
const CREDENTIAL_VALUE = [/AKIA[0-9A-Z]{16}/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, /eyJhbGciO[0-9A-Za-z_-]{10,}/, /ghp_[0-9A-Za-z]{36}/, /xox[baprs]-[0-9A-Za-z-]{10,48}/, /AIza[0-9A-Za-z_-]{35}/];

type Finding = { reason: string; length: number };

/** Why this env var holds a credential in clear, or undefined. Never returns or keeps the value itself. */
function credentialIn(env: EnvVar): Finding | undefined {
  const { value } = env;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return { reason: `redacted by the agent: ${value.reason}`, length: value.length };
  if (value === '' || value.startsWith('/') || value.startsWith('$(')) return undefined;
  if (CREDENTIAL_VALUE.some((pattern) => pattern.test(value))) return { reason: 'the value looks like a credential', length: value.length };
  if (SENSITIVE_NAME.test(env.name) && !REFERENCE_SUFFIX.test(env.name)) return { reason: 'the name says it is a credential', length: value.length };
  return undefined;
}

export const credentialInEnv = defineControl({
  id: 'workload.credential-in-env',
  version: 1,
  title: 'No credentials in plain environment variables',
  description:
    'Reports environment variables whose literal value is a credential: values the agent redacted as credential-like, and, in manifests, sensitive names (PASSWORD, TOKEN, API_KEY...) or credential-shaped values. The value itself is never reported.',
  rationale: 'A literal value in the pod spec is readable by everyone who can read the workload (view role, GitOps repository, CI logs), is not rotated with a Secret and ends up in every copy of the manifest.',
  remediation: 'Move the value into a Secret (or an external secret store) and mount it as a file; then rotate the credential, since the old value has been exposed.',
  severity: 'high',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.4.1'], iso27001: ['A.5.17', 'A.8.12'], nsa: ['secrets'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => {
    const violations: Violation[] = [];
    for (const c of workload.containers) {
      for (const env of c.env) {
        const found = credentialIn(env);
        if (!found) continue;
        const v = containerViolation(
          c,
          `env[${env.index}].value`,
          `${describeContainer(c)} has a credential in plain env var ${env.name} (${found.reason})`,
          { redacted: true, length: found.length },
        );
        violations.push({ ...v, item: containerItem(c, `env:${env.name}`) });
      }
    }
    return violations;
  },
});
