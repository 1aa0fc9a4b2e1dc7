import { containerViolation, defineControl, type Violation } from '@/lib/analysis/model/control';
import { containerItem } from '@/lib/analysis/model/workload-types';
import { describeContainer, WORKLOAD_KINDS, WORKLOAD_REQUIRES } from './shared';

export const secretEnvVar = defineControl({
  id: 'workload.secret-env-var',
  version: 1,
  title: 'Secrets are mounted as files, not environment variables',
  description: 'Reports containers that read a Secret into environment variables (env[].valueFrom.secretKeyRef or envFrom[].secretRef).',
  rationale: 'Environment variables leak: into crash reports and logs, to child processes, and to anyone who can read /proc/<pid>/environ or `docker inspect`. A mounted file is read only when needed and updates when the Secret rotates.',
  remediation: [
    'Mount the Secret and read the file:',
    '',
    '```yaml',
    'volumeMounts: [{ name: db, mountPath: /var/run/secrets/db, readOnly: true }]',
    '# volumes: [{ name: db, secret: { secretName: db-credentials } }]',
    '```',
  ].join('\n'),
  severity: 'medium',
  kinds: WORKLOAD_KINDS,
  mappings: { cis: ['5.4.1'], iso27001: ['A.5.17', 'A.8.12'], nsa: ['secrets'] },
  requires: WORKLOAD_REQUIRES,
  target: 'workload',
  check: (workload) => {
    const violations: Violation[] = [];
    for (const c of workload.containers) {
      for (const env of c.env) {
        if (!env.secretKeyRef) continue;
        const ref = `${env.secretKeyRef.name ?? '?'}/${env.secretKeyRef.key ?? '?'}`;
        const v = containerViolation(c, `env[${env.index}].valueFrom.secretKeyRef`, `${describeContainer(c)} reads Secret key ${ref} into env var ${env.name}`, { name: env.secretKeyRef.name ?? null, key: env.secretKeyRef.key ?? null });
        violations.push({ ...v, item: containerItem(c, `env:${env.name}`) });
      }
      for (const source of c.envFrom) {
        if (source.secretRef === undefined) continue;
        const v = containerViolation(c, `envFrom[${source.index}].secretRef`, `${describeContainer(c)} loads every key of Secret ${source.secretRef} into env vars`, { name: source.secretRef });
        violations.push({ ...v, item: containerItem(c, `envFrom:${source.secretRef}`) });
      }
    }
    return violations;
  },
});
