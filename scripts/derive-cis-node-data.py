#!/usr/bin/env python3
"""
Derives Bulwark's CIS Kubernetes Benchmark data for sections 1-4 (and the v1.12 section-5 id translation) from
kube-bench's configuration (aquasecurity/kube-bench, Apache-2.0). Run by hand when a kube-bench version is added:

  python3 scripts/derive-cis-node-data.py <kube-bench checkout> <commit>

It reads cfg/config.yaml and cfg/cis-<v>/{master,etcd,controlplane,node,policies}.yaml and writes, under
lib/analysis/frameworks/data/: cis-k8s-node-checks.json (what each audit checks, keyed by a stable check key) and
cis-k8s-v<v>.json (items: id, section, node type, CIS's automated/manual marking, check key).

No CIS text leaves this script: the benchmark's `text` and `remediation` fields are CC BY-NC-SA. Titles are
generated from the structured audit (component, flag, expected value, file role, mode, owner) in Bulwark's words;
the few items without a structured audit get a hand-written paraphrase below. kube-bench's section-5 `text` is used
only to match item ids across versions; it is not written out.
"""
import json, re, sys, os
import yaml

ROOT = sys.argv[1]
COMMIT = sys.argv[2]
VERSIONS = ['1.9', '1.12']
OUT = os.path.join(os.path.dirname(__file__), '..', 'lib', 'analysis', 'frameworks', 'data')
# The checks are the node controls' own data (lib/analysis/controls sits below frameworks and may not read its folder).
CHECKS_OUT = os.path.join(os.path.dirname(__file__), '..', 'lib', 'analysis', 'controls', 'node', 'data')

COMPONENTS = {  # kube-bench binary variable -> node report component
    'apiserverbin': 'apiserver', 'controllermanagerbin': 'controllerManager', 'schedulerbin': 'scheduler',
    'etcdbin': 'etcd', 'kubeletbin': 'kubelet', 'proxybin': 'proxy',
}
COMPONENT_LABEL = {'apiserver': 'kube-apiserver', 'controllerManager': 'kube-controller-manager', 'scheduler': 'kube-scheduler',
                   'etcd': 'etcd', 'kubelet': 'kubelet', 'proxy': 'kube-proxy'}
KEBAB = {'apiserver': 'apiserver', 'controllerManager': 'controller-manager', 'scheduler': 'scheduler', 'etcd': 'etcd', 'kubelet': 'kubelet', 'proxy': 'proxy'}

# kube-bench's file variables and literal paths -> the node report's file roles (lib/analysis/snapshot/node-report.ts).
FILE_ROLES = [
    ('$apiserverconf', ['apiserver-manifest']), ('$controllermanagerconf', ['controller-manager-manifest']),
    ('$schedulerconf', ['scheduler-manifest']), ('$etcdconf', ['etcd-manifest']), ('cni-conf-dir', ['cni-config']),
    ('data-dir', ['etcd-data-dir']), ('admin.conf', ['admin-kubeconfig', 'super-admin-kubeconfig']),
    ('$schedulerkubeconfig', ['scheduler-kubeconfig']), ('$controllermanagerkubeconfig', ['controller-manager-kubeconfig']),
    ("-name '*.crt'", ['pki-cert']), ("-name '*.key'", ['pki-key']), ('/etc/kubernetes/pki/', ['pki-dir', 'pki-cert', 'pki-key']),
    ('$kubeletsvc', ['kubelet-service']), ('$proxykubeconfig', ['proxy-kubeconfig']), ('$kubeletkubeconfig', ['kubelet-kubeconfig']),
    ('client-ca-file', ['client-ca']), ('$kubeletconf', ['kubelet-config']),
]
FILE_LABEL = {
    'apiserver-manifest': 'the kube-apiserver static pod manifest', 'controller-manager-manifest': 'the kube-controller-manager static pod manifest',
    'scheduler-manifest': 'the kube-scheduler static pod manifest', 'etcd-manifest': 'the etcd static pod manifest',
    'cni-config': 'the CNI configuration files', 'etcd-data-dir': 'the etcd data directory',
    'admin-kubeconfig': 'the admin kubeconfig files (admin.conf, super-admin.conf)', 'scheduler-kubeconfig': "the kube-scheduler's kubeconfig",
    'controller-manager-kubeconfig': "the kube-controller-manager's kubeconfig", 'pki-cert': 'the certificate files under /etc/kubernetes/pki',
    'pki-key': 'the private key files under /etc/kubernetes/pki', 'pki-dir': 'the files under /etc/kubernetes/pki',
    'kubelet-service': "the kubelet's systemd unit drop-in", 'proxy-kubeconfig': "kube-proxy's kubeconfig",
    'kubelet-kubeconfig': "the kubelet's kubeconfig", 'client-ca': "the kubelet's client CA file", 'kubelet-config': "the kubelet's config file",
}
FILE_KEY = {'pki-dir': 'pki', 'admin-kubeconfig': 'admin-kubeconfig'}

# Items with no structured audit: Bulwark's paraphrase of the topic and what an auditor should be shown instead.
MANUAL = {
    '1.2.20': ('kube-apiserver: the request timeout suits the cluster',
               'The --request-timeout value of the API servers and why it fits the cluster\'s largest requests.'),
    '3.1.1': ('People do not sign in with client certificates',
              'How people authenticate to the API (OIDC or another identity provider) and that no person holds a client certificate for daily use.'),
    '3.1.2': ('People do not sign in with ServiceAccount tokens',
              'How people authenticate to the API, and that ServiceAccount tokens are used only by workloads.'),
    '3.1.3': ('Bootstrap tokens are not used to authenticate people',
              'The bootstrap tokens present (kubeadm token list) and that each is used only to join nodes and expires.'),
    '3.2.2': ('The audit policy covers the security-relevant requests',
              'The audit policy and a review showing it records Secret, ConfigMap and RBAC changes, exec/attach and token requests at a useful level.'),
}

# Why a check matters and which ISO/IEC 27001:2022 Annex A controls it supports when Prowler's mapping is silent.
# Families, Bulwark's judgement: file permissions/ownership protect configuration and credentials (A.8.9 configuration
# management, A.5.15 access control; key and CA files also A.8.24 cryptography); authentication and authorization
# flags A.8.5 / A.5.15; TLS flags A.8.24 / A.8.20; audit logging A.8.15; profiling and bind addresses A.8.9 / A.8.20;
# admission plugins A.8.9; rate and pid limits A.8.6 capacity; encryption at rest A.8.24.
FAMILIES = [
    (re.compile(r'(anonymous-auth|token-auth-file|authorization-mode|client-ca-file|service-account-lookup|service-account-key-file|service-account-private-key-file|use-service-account-credentials|root-ca-file|client-cert-auth|peer-client-cert-auth|hostname-override|service-account-extend-token-expiration|kubelet-certificate-authority)'),
     ['A.5.15', 'A.8.5'], 'Who may call the component, and as whom, rests on this setting.'),
    (re.compile(r'(tls|cert-file|key-file|certfile|keyfile|kubelet-client-certificate|kubelet-client-key|auto-tls|cafile|rotate|cipher|trusted-ca-file|RotateKubeletServerCertificate|feature-gates)'),
     ['A.8.24', 'A.8.20'], 'Traffic to and from the component is encrypted and its peers are verified only with this setting.'),
    (re.compile(r'audit'), ['A.8.15'], 'Without it, who did what through the API cannot be reconstructed.'),
    (re.compile(r'(profiling|bind-address|read-only-port|make-iptables|metrics-bind-address|streaming-connection)'),
     ['A.8.9', 'A.8.20'], 'It closes an interface or debug endpoint that exposes the component beyond what it needs.'),
    (re.compile(r'(admission-plugins)'), ['A.8.9'], 'Admission plugins enforce the cluster\'s rules on every object written through the API.'),
    (re.compile(r'(event-qps|pod-max-pids|terminated-pod-gc|EventRateLimit|request-timeout|seccomp-default)'),
     ['A.8.6', 'A.8.9'], 'It limits how much one client or pod can consume, keeping the node and the API available.'),
    (re.compile(r'encryption'), ['A.8.24'], 'Secrets stored in etcd are readable by anyone holding its data or backups unless encrypted.'),
]
# Prowler attaches organizational policy controls (A.5.1-A.5.3) and A.8.1 (user end point devices) to technical
# checks of the control plane; Bulwark keeps only its access-control and technological controls.
PROWLER_KEEP = re.compile(r'^(A\.5\.1[5-8]|A\.8\.([2-9]|[1-3][0-9]))$')


def family(text):
    for pattern, iso, why in FAMILIES:
        if pattern.search(text):
            return iso, why
    return ['A.8.9'], 'It keeps the component\'s configuration at a hardened default.'


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def fmt_value(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    return str(v)


def flag_spec(check, component):
    t = check.get('tests') or {}
    items = t.get('test_items') or []
    if not items:
        return None
    tests = []
    for it in items:
        name = it['flag']
        test = {}
        if name.startswith('--'):
            test['flag'] = name[2:]
        elif component == 'kubelet' and re.match(r'^[A-Z]', name):
            test['featureGate'] = name
        else:
            return None
        if it.get('path'):
            path = it['path']
            m = re.match(r'^\{\.([A-Za-z0-9_.]+)\}$', path)
            if m:
                test['configPath'] = m.group(1)
            elif 'tlsCipherSuites' in path:
                test['configPath'] = 'tlsCipherSuites'
        if 'set' in it:
            test['set'] = bool(it['set'])
        if it.get('compare'):
            test['compare'] = {'op': it['compare']['op'], 'value': fmt_value(it['compare']['value'])}
            test.setdefault('set', True)
        test.setdefault('set', True)
        tests.append(test)
    return {'kind': 'flags', 'component': component, 'op': t.get('bin_op', 'and'), 'tests': tests}


def file_spec(check):
    audit = check.get('audit') or ''
    items = (check.get('tests') or {}).get('test_items') or []
    if not items:
        return None
    roles = None
    for needle, rs in FILE_ROLES:
        if needle in audit:
            roles = rs
            break
    if roles is None:
        return None
    first = items[0]
    if first['flag'] == 'permissions':
        return {'kind': 'file', 'roles': roles, 'property': 'mode', 'maxMode': first['compare']['value']}
    owner = first.get('compare', {}).get('value') if first['flag'] == 'ownership' else first['flag']
    if re.match(r'^[a-z]+:[a-z]+$', owner or ''):
        return {'kind': 'file', 'roles': roles, 'property': 'owner', 'owner': owner}
    return None


def describe_test(t, label, repeat=False):
    name = f"--{t['flag']}" if 'flag' in t else f"feature gate {t['featureGate']}"
    where = f" (or {t['configPath']} in its config file)" if t.get('configPath') else ''
    if repeat:
        name, where = '', ''
    c = t.get('compare')
    if not t['set']:
        return f'{name}{where} is not set'.strip()
    if not c:
        return f'{name}{where} is set'.strip()
    op, v = c['op'], c['value']
    words = {'eq': f'is {v}', 'noteq': f'is not {v}', 'has': f'includes {v}', 'nothave': f'is not {v}' if 'featureGate' in t else f'does not include {v}',
             'gte': f'is at least {v}', 'lte': f'is at most {v}', 'gt': f'is more than {v}', 'lt': f'is less than {v}',
             'valid_elements': 'lists only strong values', 'bitmask': f'is {v} or stricter', 'regex': f'matches {v}'}
    return f'{name}{where} {words[op]}'.strip()


def check_key(spec):
    # Control ids have one dot (`family.name`, lib/analysis/frameworks/frameworks.test.ts): `node.` + a kebab name.
    return 'node.' + raw_key(spec)[len('node.'):].replace('.', '-')


def raw_key(spec):
    if spec['kind'] == 'file':
        role = FILE_KEY.get(spec['roles'][0], spec['roles'][0])
        return f"node.file.{role}.{'mode-' + spec['maxMode'] if spec['property'] == 'mode' else 'owner-' + spec['owner'].split(':')[0]}"
    if spec['kind'] == 'encryption-providers':
        return 'node.apiserver.encryption-providers'
    t = spec['tests'][0]
    base = t.get('flag') or t['featureGate'].lower()
    key = f"node.{KEBAB[spec['component']]}.{base.lower()}"
    c = t.get('compare')
    if c and c['op'] in ('has', 'nothave') and base not in ('feature-gates', 'metrics-bind-address') and 'featureGate' not in t:
        key += f".{'has' if c['op'] == 'has' else 'not'}-{c['value'].lower()}"
    return key


def title_of(spec):
    if spec['kind'] == 'file':
        what = FILE_LABEL[spec['roles'][0]]
        what = what[0].upper() + what[1:] if what.startswith('the') else what
        if spec['property'] == 'mode':
            return f"{what}: mode {spec['maxMode']} or stricter"
        return f"{what}: owned by {spec['owner']}"
    if spec['kind'] == 'encryption-providers':
        return 'kube-apiserver: Secrets are encrypted at rest with aescbc, kms or secretbox'
    label = COMPONENT_LABEL[spec['component']]
    joiner = ', or ' if spec['op'] == 'or' else ' and '
    parts = []
    for i, t in enumerate(spec['tests']):
        prev = spec['tests'][i - 1] if i > 0 else None
        same = prev is not None and prev.get('flag') == t.get('flag') and prev.get('featureGate') == t.get('featureGate')
        parts.append(describe_test(t, label, repeat=same))
    return f"{label}: {joiner.join(parts)}"


def remediation_of(spec):
    if spec['kind'] == 'file':
        what = FILE_LABEL[spec['roles'][0]]
        if spec['property'] == 'mode':
            return f"chmod {spec['maxMode']} (or stricter) {what} on each node the finding names."
        return f"chown {spec['owner']} {what} on each node the finding names."
    if spec['kind'] == 'encryption-providers':
        return 'Point --encryption-provider-config at an EncryptionConfiguration whose first provider for Secrets is kms (preferred), aescbc or secretbox, then rewrite existing Secrets.'
    label = COMPONENT_LABEL[spec['component']]
    where = {'kubelet': "the kubelet's config file (or its flags in the systemd drop-in)", 'proxy': "kube-proxy's config or its flags",
             'etcd': 'the etcd static pod manifest (or etcd.conf)'}.get(spec['component'], f'the {label} static pod manifest')
    return f"Change {where} so that {title_of(spec).split(': ', 1)[1]}; the component restarts with it."


def main():
    repo = ROOT
    config = load(os.path.join(repo, 'cfg', 'config.yaml'))
    prowler = json.load(open(os.path.join(OUT, 'map-cis-k8s-to-iso27001-2022.prowler-derived.json')))
    prowler_items = {i['id']: i for i in prowler['cis']['v1.10']['items']}
    checks = {}
    versions = {}
    policies = {}
    for v in VERSIONS:
        base = os.path.join(repo, 'cfg', f'cis-{v}')
        items = []
        for f in ['master', 'etcd', 'controlplane', 'node']:
            doc = load(os.path.join(base, f + '.yaml'))
            for g in doc['groups']:
                for c in g['checks']:
                    c['id'] = str(c['id'])
                    audit = c.get('audit') or ''
                    comp = next((COMPONENTS[k] for k in COMPONENTS if '$' + k in audit), None)
                    spec = None
                    if c['id'] in MANUAL:
                        spec = None
                    elif 'encryption-provider-config' in audit and 'providers' in audit:
                        spec = {'kind': 'encryption-providers', 'allowed': ['aescbc', 'kms', 'secretbox']}
                    elif 'stat -c' in audit:
                        spec = file_spec(c)
                    elif comp:
                        spec = flag_spec(c, comp)
                    item = {'id': c['id'], 'section': c['id'].split('.')[0], 'group': str(g['id']), 'nodeType': doc['type'],
                            'cisAssessment': 'automated' if c.get('scored') else 'manual'}
                    if spec:
                        key = check_key(spec)
                        if key in checks and checks[key]['spec'] != spec:
                            # Same setting, different expectation in this version (e.g. a shorter cipher list): its own check.
                            key = f"{key}-cis-{v.replace('.', '-')}"
                        if key not in checks:
                            text = json.dumps(spec)
                            iso, why = family(text)
                            p = prowler_items.get(c['id'])
                            pro = [a for a in (p['iso27001'] if p else []) if PROWLER_KEEP.match(a)]
                            if spec['kind'] == 'file':
                                # Prowler maps only some ownership items and none of their permission twins: file
                                # checks use Bulwark's family mapping throughout, so the pair always maps alike.
                                pro = []
                                iso = ['A.5.15', 'A.8.9'] + (['A.8.24'] if any(r in ('pki-key', 'pki-cert', 'client-ca') for r in spec['roles']) else [])
                                why = 'Whoever can change this file changes the component it configures, or reads the credentials in it.'
                            checks[key] = {
                                'title': title_of(spec), 'nodeType': doc['type'], 'rationale': why,
                                'remediation': remediation_of(spec),
                                'iso27001': sorted(set(pro)) if pro else iso,
                                'isoSource': 'prowler' if pro else 'bulwark',
                                'spec': spec,
                            }
                        item['check'] = key
                        checks[key].setdefault('cis', {}).setdefault(v, []).append(c['id'])
                        item['title'] = checks[key]['title']
                    else:
                        title, evidence = MANUAL.get(c['id'], (None, None))
                        if title is None:
                            raise SystemExit(f'{v} {c["id"]}: no structured audit and no hand-written paraphrase')
                        item['title'] = title
                        item['manualEvidence'] = evidence
                    items.append(item)
        versions[v] = items
        pdoc = load(os.path.join(base, 'policies.yaml'))
        policies[v] = [(str(c['id']), re.sub(r'\s*\((Automated|Manual)\)', '', c['text']).strip().lower(), bool(c.get('scored')))
                       for g in pdoc['groups'] for c in g['checks']]
    source = {'repository': 'aquasecurity/kube-bench', 'commit': COMMIT, 'licence': 'Apache-2.0'}
    os.makedirs(CHECKS_OUT, exist_ok=True)
    with open(os.path.join(CHECKS_OUT, 'cis-k8s-node-checks.json'), 'w') as f:
        json.dump({'note': 'What each CIS Kubernetes Benchmark audit of sections 1-4 checks, keyed by a stable Bulwark check key (the control id), with the item ids of each version that use it (`cis`). Derived from kube-bench configuration (Apache-2.0) by scripts/derive-cis-node-data.py; titles, rationales and remediations are Bulwark\'s own words generated from the structured audit. No CIS text.',
                   'source': source, 'checks': checks}, f, indent=1)
        f.write('\n')
    base19 = {text: i for i, text, _ in policies['1.9']}
    for v in VERSIONS:
        section5 = []
        for i, text, scored in policies[v]:
            same = base19.get(text)
            if same is None:
                raise SystemExit(f'{v} {i}: section-5 item without a v1.9 counterpart; write its paraphrase')
            section5.append({'id': i, 'sameAsV19': same, 'cisAssessment': 'automated' if scored else 'manual'})
        with open(os.path.join(OUT, f'cis-k8s-v{v}.json'), 'w') as f:
            json.dump({'benchmark': 'CIS Kubernetes Benchmark', 'version': v,
                       'note': f'Item ids, sections, node types and CIS\'s automated/manual marking of the CIS Kubernetes Benchmark v{v} as kube-bench configures it (cfg/cis-{v}); `check` names the entry of cis-k8s-node-checks.json its audit corresponds to. section5 maps each section-5 id to the v1.9 item with the same topic (Bulwark\'s section-5 controls are mapped by v1.9 ids). Titles are Bulwark\'s; no CIS text.',
                       'source': {**source, 'paths': [f'cfg/cis-{v}/{n}.yaml' for n in ['master', 'etcd', 'controlplane', 'node', 'policies']]},
                       'items': versions[v], 'section5': section5}, f, indent=1)
            f.write('\n')
    print(len(checks), 'checks;', {v: len(i) for v, i in versions.items()})


main()
