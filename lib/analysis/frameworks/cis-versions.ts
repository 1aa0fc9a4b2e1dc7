/**
 * The CIS Kubernetes Benchmark versions Bulwark evaluates: v1.9 and the newest kube-bench ships (v1.12). Its own
 * module, free of the benchmark data, so forms in the browser can offer the choice without shipping the data.
 */
export const CIS_VERSIONS = ['1.9', '1.12'] as const;
export type CisVersion = (typeof CIS_VERSIONS)[number];

/** The CIS framework ids, one per version. */
export type CisFrameworkId = `cis-k8s-${CisVersion}`;

/** The framework id of a CIS version: the one mapping every page, API and report uses (settings → framework). */
export function cisFrameworkIdOf(version: CisVersion): CisFrameworkId {
  return version === '1.12' ? 'cis-k8s-1.12' : 'cis-k8s-1.9';
}

export function isCisFrameworkId(id: string): id is CisFrameworkId {
  return CIS_VERSIONS.some((version) => `cis-k8s-${version}` === id);
}
