import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GATEKEEPER_CONSTRAINTS_GROUP, POLICY_SOURCES, RESOURCE_ENDPOINTS } from './collect';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const read = (file: string) => parse(readFileSync(path.join(import.meta.dirname, '..', 'deploy', file), 'utf8')) as { rules: Rule[] };
const clusterRole = read('clusterrole.yaml');
const gatekeeperRole = read('optional/gatekeeper-constraints/clusterrole.yaml');

// '/api/v1/pods' → ['', 'pods']; '/apis/kyverno.io/v1/policies' → ['kyverno.io', 'policies']
function groupAndResource(listPath: string): [string, string] {
  const parts = listPath.split('/').filter(Boolean);
  return parts[0] === 'api' ? ['', parts[2] ?? ''] : [parts[1] ?? '', parts[3] ?? ''];
}
const grants = (group: string, resource: string, verb: string, role = clusterRole) =>
  role.rules.some((rule) => rule.apiGroups.includes(group) && (rule.resources.includes(resource) || rule.resources.includes('*')) && rule.verbs.includes(verb));

describe("the agent's ClusterRole", () => {
  const paths = [
    ...Object.entries(RESOURCE_ENDPOINTS).filter(([resource]) => resource !== 'secrets').map(([, endpoint]) => endpoint.path),
    ...Object.values(POLICY_SOURCES).flatMap(({ sources }) => sources.map((source) => source.path)),
  ];

  it.each(paths)('lets the agent list what it collects: %s', (listPath) => {
    const [group, resource] = groupAndResource(listPath);
    expect(grants(group, resource, 'list')).toBe(true);
  });

  it('leaves Gatekeeper constraints (one resource per template: a wildcard) to an optional role', () => {
    const [group, resource] = groupAndResource(`${GATEKEEPER_CONSTRAINTS_GROUP.path}/k8srequiredlabels`);
    expect(grants(group, resource, 'list')).toBe(false);
    expect(grants(group, resource, 'list', gatekeeperRole)).toBe(true);
    expect(gatekeeperRole.rules.flatMap((rule) => rule.verbs)).toEqual(['list']);
  });

  it('is read-only, without wildcards, and leaves Secrets to the optional role', () => {
    const verbs = new Set(clusterRole.rules.flatMap((rule) => rule.verbs));
    expect([...verbs].every((verb) => ['get', 'list', 'watch'].includes(verb))).toBe(true);
    expect(grants('', 'secrets', 'list')).toBe(false);
    expect(clusterRole.rules.some((rule) => rule.resources.includes('*') || rule.apiGroups.includes('*'))).toBe(false);
  });
});
