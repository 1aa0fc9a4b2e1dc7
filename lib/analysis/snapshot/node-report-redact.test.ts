import { describe, expect, it } from 'vitest';
import { findNodeReportCredentials, redactConfigContent, redactFlags } from './node-report-redact';
import { parseNodeReport } from './parse-node-report';
import { NODE_REPORT_API_VERSION, type NodeReport } from './node-report';

const report = (flags: Record<string, string[]>, content: unknown = {}): NodeReport => ({
  apiVersion: NODE_REPORT_API_VERSION,
  collectedAt: '2026-12-01T10:00:00Z',
  collector: { version: '0.1.0' },
  node: { name: 'n1', labels: {} },
  components: { kubelet: { source: 'process', flags, config: { path: '/var/lib/kubelet/config.yaml', content } } },
  files: [],
});

describe('node report redaction', () => {
  it('keeps the settings CIS reads and redacts credentials by flag name or content', () => {
    const flags = redactFlags({
      'authorization-mode': ['Node,RBAC'],
      'anonymous-auth': ['false'],
      'token-auth-file': ['/etc/kubernetes/tokens.csv'],
      'enable-bootstrap-token-auth': ['true'],
      'service-account-max-token-expiration': ['48h'],
      'etcd-keyfile': ['/etc/kubernetes/pki/apiserver-etcd-client.key'],
      token: ['hunter2hunter2'],
      'oidc-client-secret': ['not-really-secret-but-named-so'],
      'some-header': ['AKIAIOSFODNN7EXAMPLE'],
    });
    expect(flags).toMatchObject({
      'authorization-mode': ['Node,RBAC'],
      'anonymous-auth': ['false'],
      'token-auth-file': ['/etc/kubernetes/tokens.csv'],
      'enable-bootstrap-token-auth': ['true'],
      'service-account-max-token-expiration': ['48h'],
      'etcd-keyfile': ['/etc/kubernetes/pki/apiserver-etcd-client.key'],
    });
    expect(flags.token?.[0]).toMatch(/^bulwark-redacted:sensitive-name:[0-9a-f]{8}:14$/);
    expect(flags['oidc-client-secret']?.[0]).toMatch(/^bulwark-redacted:sensitive-name:/);
    expect(flags['some-header']?.[0]).toMatch(/^bulwark-redacted:aws-access-key:/);
  });

  it('redacts config strings by their key, keeps type names, and the finder agrees with the redactor', () => {
    const content = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', authentication: { anonymous: { enabled: false } }, staticPodURLHeader: { Authorization: ['Bearer abc.def'] }, password: 'pw-123456', readOnlyPort: 0 };
    const redacted = redactConfigContent(content) as typeof content;
    expect(redacted).toMatchObject({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', authentication: { anonymous: { enabled: false } }, readOnlyPort: 0 });
    expect(redacted.password).toMatch(/^bulwark-redacted:/);
    expect(redacted.staticPodURLHeader.Authorization[0]).toMatch(/^bulwark-redacted:/);
    expect(findNodeReportCredentials(report({ token: ['hunter2hunter2'] }, content)).map((c) => c.path)).toEqual([
      'components.kubelet.flags.token[0]',
      'components.kubelet.config.content.staticPodURLHeader.Authorization[0]',
      'components.kubelet.config.content.password',
    ]);
    expect(findNodeReportCredentials(report(redactFlags({ token: ['hunter2hunter2'] }), redacted))).toEqual([]);
  });

  it('parseNodeReport refuses a credential or a bad field by path, never echoing the value', () => {
    const leak = parseNodeReport(report({ token: ['hunter2hunter2'] }));
    expect(leak.ok).toBe(false);
    expect(JSON.stringify(leak)).not.toContain('hunter2');
    const bad = parseNodeReport({ ...report({}), files: [{ path: '/x', exists: true, mode: 0o17777 }] });
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(['files[0].mode']);
    expect(parseNodeReport(report({ 'anonymous-auth': ['false'] })).ok).toBe(true);
  });
});
