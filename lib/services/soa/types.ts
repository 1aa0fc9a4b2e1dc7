import type { Applicability, AutomatedResult, ComplianceStatus, EvidenceState } from '../../analysis/frameworks/compliance-status';
import type { Assessment, FrameworkId } from '../../analysis/frameworks';

export const APPLICABILITIES = ['applicable', 'excluded', 'provider_responsibility'] as const satisfies readonly Applicability[];
export const IMPLEMENTATION_STATUSES = ['not_started', 'in_progress', 'implemented'] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

export const APPLICABILITY_LABELS: Record<Applicability, string> = {
  applicable: 'Applicable',
  excluded: 'Excluded',
  provider_responsibility: 'Provider responsibility',
};
export const IMPLEMENTATION_LABELS: Record<ImplementationStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  implemented: 'Implemented',
};

/** A person as the SoA records them: their user id (null once gone) and the name or email they had then. */
export type SoaPerson = { userId: string | null; label: string };

/**
 * One requirement's decision in the Statement of Applicability, as stored in an approved version (JSON) and as the
 * draft holds it. `decided: false` is the default nobody chose yet: applicable (Bulwark assesses it, or it is
 * "applicable, not assessed by Bulwark" until someone decides).
 */
export type SoaDecision = {
  requirementId: string;
  applicability: Applicability;
  decided: boolean;
  /** Required (non-empty) when excluded or the provider's responsibility; may explain an applicable one too. */
  justification: string | null;
  implementationStatus: ImplementationStatus | null;
  owner: SoaPerson | null;
  decidedBy: SoaPerson | null;
  /** ISO 8601; null while undecided. */
  decidedAt: string | null;
};

/** One requirement on the SoA page and in reports: its decision, what the clusters and evidence say, its status. */
export type SoaRequirement = SoaDecision & {
  title: string;
  /** How the framework data says it is assessed. */
  assessment: Assessment;
  /** True when a Bulwark control can decide it from cluster data. */
  assessedByBulwark: boolean;
  /** Why Bulwark does not assess it, or what evidence to bring (framework data). */
  note: string | null;
  automated: AutomatedResult;
  evidence: EvidenceState;
  status: ComplianceStatus;
};

export type SoaVersionSummary = {
  id: string;
  version: number;
  approvedBy: SoaPerson;
  approvedAt: Date;
  note: string | null;
  digest: string;
};

export type { Applicability, FrameworkId };
