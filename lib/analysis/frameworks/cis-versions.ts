/**
 * The CIS Kubernetes Benchmark versions Bulwark evaluates: v1.9 and the newest kube-bench ships (v1.12). Its own
 * module, free of the benchmark data, so forms in the browser can offer the choice without shipping the data.
 */
export const CIS_VERSIONS = ['1.9', '1.12'] as const;
export type CisVersion = (typeof CIS_VERSIONS)[number];
