import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintInput, fingerprintOf } from './fingerprint';

describe('fingerprintOf', () => {
  // Stored findings carry these values (computed with the JSON.stringify formula): they must never change, or
  // every open finding would be resolved and reopened under a new fingerprint, losing its history.
  it('keeps the fingerprints findings were stored with', () => {
    expect(fingerprintOf('workload.run-as-root', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'api', uid: 'u1' }, 'container:main:runAsNonRoot'))
      .toBe('de11a9d9016aac9605a4cc12a6eea1a12eb2638712405968203e7f1a81d13796');
    expect(fingerprintOf('rbac.x', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespace: null, name: 'ops"admin', uid: null }, 'User:a\\b'))
      .toBe('13dcc286b080a970293d08bc40cd94d0aa4bb8a68134b28656bbf80bc186dff1');
  });

  it('hashes the same text as JSON.stringify of the parts, escapes and all', () => {
    const samples = ['', 'a', 'payments', 'x"y', 'back\\slash', 'tab\there', 'nul\u0000', 'lone\ud800', 'pair\ud83d\ude00', 'é', 'a","b'];
    for (const a of samples) for (const b of samples) {
      const parts = ['control', a, 'Kind', b, 'name', `${a}:${b}`];
      expect(fingerprintInput(parts)).toBe(JSON.stringify(parts));
    }
  });

  it('hashes the JSON text of the parts whichever way it is written (ASCII bytes, or the string with escapes)', () => {
    const reference = (controlId: string, apiVersion: string, namespace: string | null, name: string, item: string) =>
      createHash('sha256')
        .update(JSON.stringify([controlId, apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '', 'Kind', namespace ?? '', name, item]))
        .digest('hex');
    const names = ['', 'web', 'a-b.c', 'x"y', 'back\\slash', 'del\u007f', 'é', 'pair\ud83d\ude00', 'tab\t', '~!@#$%^&*()[]{}', 'n'.repeat(5000)];
    for (const apiVersion of ['v1', 'apps/v1', 'rbac.authorization.k8s.io/v1', 'gr\u00fcn/v1']) {
      for (const name of names) {
        for (const namespace of [null, 'team-a', name]) {
          const ref = { apiVersion, kind: 'Kind', namespace, name, uid: null };
          expect(fingerprintOf('control.id', ref, name)).toBe(reference('control.id', apiVersion, namespace, name, name));
          // The same call twice (the buffer is reused) and a shorter one after a longer one give the same answers.
          expect(fingerprintOf('c', ref, '')).toBe(reference('c', apiVersion, namespace, name, ''));
        }
      }
    }
  });
});
