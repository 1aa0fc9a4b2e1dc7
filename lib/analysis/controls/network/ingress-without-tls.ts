import { defineControl, violation } from '@/lib/analysis/model/control';
import { isRecord } from '@/lib/analysis/model/json';

export const ingressWithoutTls = defineControl({
  id: 'network.ingress-without-tls',
  version: 1,
  title: 'Ingresses terminate TLS',
  description: 'Reports Ingresses without a spec.tls section.',
  rationale: 'An Ingress without TLS serves its hosts over plain HTTP: credentials, session cookies and data cross the network readable and changeable by anyone on the path.',
  remediation: [
    '```yaml',
    'spec:',
    '  tls:',
    '    - hosts: [app.example.com]',
    '      secretName: app-example-com-tls   # e.g. issued by cert-manager',
    '```',
  ].join('\n'),
  severity: 'medium',
  kinds: ['Ingress'],
  mappings: { cis: [], iso27001: ['A.8.20', 'A.8.24'], nsa: ['network-encryption'] },
  requires: ['ingresses'],
  target: 'ingress',
  check: (ingress) => {
    const spec = isRecord(ingress.spec) ? ingress.spec : {};
    const tls = Array.isArray(spec.tls) ? spec.tls : [];
    return tls.length > 0 ? [] : [violation(`Ingress ${ingress.metadata.name} serves plain HTTP (no spec.tls)`, 'spec.tls', null, 'tls')];
  },
});
