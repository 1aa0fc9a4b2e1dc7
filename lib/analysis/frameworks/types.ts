export type FrameworkId = 'cis-k8s-1.9' | 'cis-k8s-1.12' | 'iso27001-2022' | 'nsa-k8s-1.2';

/**
 * automated: Bulwark controls decide it from the snapshot; partial: controls give real evidence but an auditor
 * also needs evidence from outside Kubernetes; manual: no control decides it, manualEvidence says what to bring.
 */
export type Assessment = 'automated' | 'partial' | 'manual';

export type Requirement = {
  id: string;
  title: string;
  description: string;
  assessment: Assessment;
  manualEvidence?: string;
  /** Set when the requirement cannot be met or failed through a Kubernetes cluster at all (people, premises...). */
  notApplicableReason?: string;
};

export type Framework = {
  id: FrameworkId;
  name: string;
  version: string;
  /** Where the ids come from and what we may ship: ids and our own wording only. */
  source: string;
  requirements: Requirement[];
};
