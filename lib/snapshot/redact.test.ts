import { describe, expect, it } from 'vitest';
import { findSensitiveValues, redactObject, toSecretMeta } from './redact';

describe('findSensitiveValues', () => {
  it('finds a password passed as the argument after its flag', () => {
    const pod = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'redis', args: ['--requirepass', 'x', '--db-password', 'hunter2hunter2'] }] } };
    expect(findSensitiveValues(pod)).toEqual([{ path: ['spec', 'containers', 0, 'args', 3], where: 'argument', reason: 'sensitive-name' }]);
  });

  it('finds credentials in lifecycle hook headers and pod template annotations', () => {
    const deployment = {
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        template: {
          metadata: { annotations: { hook: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX' } },
          spec: { containers: [{ name: 'c', lifecycle: { preStop: { httpGet: { httpHeaders: [{ name: 'X-Api-Key', value: 'abc123-key' }] } } } }] },
        },
      },
    };
    expect(findSensitiveValues(deployment).map((finding) => finding.where)).toEqual(['annotation', 'http-header']);
  });

  it('ignores what is already redacted, so redacting twice changes nothing', () => {
    const pod = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', args: ['--token=abcdefabcdef'], env: [{ name: 'TOKEN', value: 'abcdef' }] }] } };
    const once = redactObject(pod);
    expect(findSensitiveValues(once)).toEqual([]);
    expect(redactObject(once)).toEqual(once);
  });
});

describe('toSecretMeta', () => {
  it('keeps key names of data and stringData, never values', () => {
    const meta = toSecretMeta({ kind: 'Secret', metadata: { name: 's', namespace: 'n' }, type: 'kubernetes.io/tls', data: { 'tls.key': 'eA==', 'tls.crt': 'eA==' }, stringData: { 'tls.key': 'x' } });
    expect(meta).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, type: 'kubernetes.io/tls', keys: ['tls.crt', 'tls.key'] });
  });
});
