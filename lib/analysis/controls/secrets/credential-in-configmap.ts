import { defineControl, violation } from '@/lib/analysis/model/control';
import { describeHit } from '@/lib/analysis/model/credentials';

export const credentialInConfigMap = defineControl({
  id: 'secrets.credential-in-configmap',
  version: 1,
  title: 'No credentials in ConfigMaps',
  description:
    'Reports ConfigMap keys whose value is a credential: the agent reads every value in the cluster, sends a redaction marker with the detector\'s reason (a name like DB_PASSWORD, a private key, a token format, a random-looking token) for the ones that look like credentials (a config file with a `password=` or `password:` line included), and sends no other value. The finding names the ConfigMap, the key and the detector, never the value. Values too long to scan are not reported.',
  rationale:
    'ConfigMaps are not Secrets: the built-in view role and many operators\' tools read them, they are not encrypted at rest by the Secret encryption provider, and they are copied into GitOps repositories, so a credential in one is readable far more widely than intended.',
  remediation: 'Move the value into a Secret (or an external secret store) and mount it or reference it with secretKeyRef; remove it from the ConfigMap and rotate the credential, since it has been exposed.',
  severity: 'high',
  kinds: ['ConfigMap'],
  mappings: { cis: ['5.4.1'], iso27001: ['A.5.17', 'A.8.12'], nsa: ['secrets'] },
  requires: ['configmaps'],
  target: 'configMap',
  check: (configMap) =>
    Object.entries(configMap.data ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      // A config file of more than 64 KiB is redacted unsearched: reporting every large dashboard would drown the rest.
      .filter(([, value]) => value.reason !== 'too-long-to-scan')
      .map(([key, value]) =>
        violation(
          `ConfigMap ${configMap.metadata.name} holds a credential under key ${key} (${describeHit(value)})`,
          `data['${key}']`,
          { redacted: true, reason: value.reason, length: value.length },
          `data:${key}`,
        ),
      ),
});
