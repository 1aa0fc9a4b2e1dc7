import annexA from './data/iso27001-2022-annex-a.json';
import evidence from './data/k8s-evidence-iso27001-2022.json';
import type { Assessment, Requirement } from './types';

type AnnexAControl = { id: string; title: string; theme: string };
type EvidenceEntry = { id: string; level: string; kubernetesEvidence: string };

const NOT_APPLICABLE_REASON: Record<string, string> = {
  Organizational: 'An organizational control: its evidence is policies, records and processes outside the cluster.',
  People: 'A people control: its evidence is HR and training records, not cluster configuration.',
  Physical: 'A physical control: its evidence concerns premises and equipment, not cluster configuration.',
  Technological: 'A technological control that Kubernetes configuration neither meets nor fails (e.g. endpoint devices, DLP, secure development practices).',
};

/**
 * ISO/IEC 27001:2022 Annex A: the 93 control ids and titles (no ISO text). How far Kubernetes evidence goes for
 * each is Bulwark's own judgement in k8s-evidence-iso27001-2022.json: automated and partial controls are scored
 * from Bulwark's checks; workflow and limited ones need the auditor's own evidence (manual); the rest are not
 * applicable to a cluster.
 */
export function iso27001Requirements(): Requirement[] {
  const byId = new Map((evidence.annexA as EvidenceEntry[]).map((entry) => [entry.id, entry]));
  const notApplicable = new Set(evidence.notApplicableFromKubernetes as string[]);
  return (annexA as AnnexAControl[]).map((control) => {
    const entry = byId.get(control.id);
    if (!entry || notApplicable.has(control.id)) {
      return {
        id: control.id,
        title: control.title,
        description: `${control.theme} control.`,
        assessment: 'manual' as const,
        notApplicableReason: NOT_APPLICABLE_REASON[control.theme] ?? 'Not assessable from a Kubernetes cluster.',
      };
    }
    const assessment: Assessment = entry.level === 'automated' ? 'automated' : entry.level === 'partial' ? 'partial' : 'manual';
    const manualEvidence =
      entry.level === 'workflow'
        ? `Workflow evidence from Bulwark and your ticketing: ${entry.kubernetesEvidence}`
        : entry.level === 'limited'
          ? `Kubernetes gives only an adjacent signal; bring the organization's own evidence. ${entry.kubernetesEvidence}`
          : entry.level === 'partial'
            ? `Besides Bulwark's checks, evidence from outside the cluster is needed. ${entry.kubernetesEvidence}`
            : undefined;
    return {
      id: control.id,
      title: control.title,
      description: entry.kubernetesEvidence,
      assessment,
      ...(manualEvidence ? { manualEvidence } : {}),
    };
  });
}
