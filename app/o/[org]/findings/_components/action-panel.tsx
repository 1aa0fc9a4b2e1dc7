import { AcknowledgeForm, AssignForm, CommentForm, DueDateForm, OpenTicketForm, type Option } from './finding-forms';
import { FalsePositiveForm, RequestRiskAcceptanceForm, type ExpiryBounds } from './risk-forms';

export type PanelPermissions = { acknowledge: boolean; assign: boolean; comment: boolean; requestRisk: boolean; falsePositive: boolean; exception: boolean; ticket: boolean };

type Finding = {
  id: string; status: string; resourceNamespace: string | null; assigneeUserId: string | null; assigneeTeamId: string | null; dueAt: Date | null;
};

const TICKET_SEVERITY = { CRITICAL: 'SEV1', HIGH: 'SEV2', MEDIUM: 'SEV3', LOW: 'SEV4' } as const;

function Section({ title, children, open = false }: { title: string; children: React.ReactNode; open?: boolean }) {
  return (
    <details open={open} className="group border-b border-slate-100 last:border-b-0">
      <summary className="flex cursor-pointer list-none items-center [&::-webkit-details-marker]:hidden justify-between py-2.5 text-sm font-medium text-slate-800 after:text-slate-400 after:content-['›'] hover:text-brand-700 group-open:after:rotate-90">
        {title}
      </summary>
      <div className="pb-3">{children}</div>
    </details>
  );
}

/**
 * What the signed-in member may do with this finding, each in a disclosure (keyboard-usable without script).
 * Only what their role allows and the finding's status permits is offered; the services check both again.
 */
export function ActionPanel({ org, finding, severity, ticketTitle, can, members, teams, today, bounds, hasPendingRisk }: {
  org: string; finding: Finding; severity: keyof typeof TICKET_SEVERITY; ticketTitle: string; can: PanelPermissions;
  members: Option[]; teams: Option[]; today: string; bounds: ExpiryBounds; hasPendingRisk: boolean;
}) {
  const ids = [finding.id];
  const actionable = finding.status === 'OPEN' || finding.status === 'ACKNOWLEDGED';
  const sections = [
    can.assign && <Section key="assign" title="Assign"><AssignForm org={org} findingIds={ids} members={members} teams={teams} current={{ userId: finding.assigneeUserId, teamId: finding.assigneeTeamId }} /></Section>,
    can.assign && <Section key="due" title="Due date"><DueDateForm org={org} findingIds={ids} today={today} current={finding.dueAt?.toISOString().slice(0, 10) ?? null} /></Section>,
    can.comment && <Section key="comment" title="Comment"><CommentForm org={org} findingIds={ids} /></Section>,
    can.requestRisk && actionable && !hasPendingRisk && <Section key="risk" title="Request risk acceptance"><RequestRiskAcceptanceForm org={org} findingId={finding.id} bounds={bounds} /></Section>,
    can.falsePositive && actionable && <Section key="fp" title="Mark as false positive"><FalsePositiveForm org={org} findingId={finding.id} bounds={bounds} namespaced={finding.resourceNamespace !== null} canException={can.exception} /></Section>,
    can.ticket && <Section key="ticket" title="Open a ticket"><OpenTicketForm org={org} findingIds={ids} defaultTitle={ticketTitle} defaultSeverity={TICKET_SEVERITY[severity]} /></Section>,
  ].filter(Boolean);
  const acknowledge = can.acknowledge && finding.status === 'OPEN';
  if (sections.length === 0 && !acknowledge) return <p className="text-sm text-slate-500">Your role can read this finding but not change it.</p>;
  return (
    <div>
      {acknowledge && <div className="border-b border-slate-100 pb-3"><AcknowledgeForm org={org} findingIds={ids} /></div>}
      {sections}
    </div>
  );
}
