import { describe, expect, it } from 'vitest';
import { MAX_SCANNED_VALUE_LENGTH } from './limits';
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

describe('values too long to scan', () => {
  it('redacts them unread, saying why, in env values, arguments and annotations', () => {
    const long = 'x'.repeat(MAX_SCANNED_VALUE_LENGTH + 1);
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p', annotations: { note: long, short: 'fine' } },
      spec: { containers: [{ name: 'c', env: [{ name: 'BANNER', value: long }], args: [`--banner=${long}`, long, '--verbose'] }] },
    };
    const redacted = redactObject(pod);
    const container = redacted.spec.containers[0];
    expect(container?.env[0]?.value).toEqual({ redacted: true, sha256Prefix: expect.stringMatching(/^[0-9a-f]{8}$/), length: MAX_SCANNED_VALUE_LENGTH + 1, reason: 'too-long-to-scan' });
    expect(container?.args).toEqual([
      expect.stringMatching(/^--banner=bulwark-redacted:too-long-to-scan:[0-9a-f]{8}:65537$/),
      expect.stringMatching(/^bulwark-redacted:too-long-to-scan:[0-9a-f]{8}:65537$/),
      '--verbose',
    ]);
    expect(redacted.metadata.annotations).toEqual({ note: expect.stringMatching(/^bulwark-redacted:too-long-to-scan:/), short: 'fine' });
  });
});

describe('toSecretMeta', () => {
  it('keeps key names of data and stringData, never values', () => {
    const meta = toSecretMeta({ kind: 'Secret', metadata: { name: 's', namespace: 'n' }, type: 'kubernetes.io/tls', data: { 'tls.key': 'eA==', 'tls.crt': 'eA==' }, stringData: { 'tls.key': 'x' } });
    expect(meta).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, type: 'kubernetes.io/tls', keys: ['tls.crt', 'tls.key'] });
  });
});
