import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { orNotFound } from '@/lib/web/not-found';
import { can } from '@/lib/platform/auth/permissions';
import { actorUserId } from '@/lib/platform/auth/context';
import { getFinding } from '@/lib/services/findings/get-finding';
import { MAX_ACCEPTANCE_DAYS } from '@/lib/services/findings/schemas';
import { listMembers } from '@/lib/services/orgs/members';
import { isAssignableRole } from '@/lib/services/findings/assignable';
import { listTeams } from '@/lib/services/orgs/teams';
import { Card } from '@/app/_components/card';
import { SeverityBadge } from '@/app/_components/severity-badge';
import { StatusBadge } from '@/app/_components/status-badge';
import { TimeAgo } from '@/app/_components/time-ago';
import { DueDate } from '@/app/_components/due-date';
import { personName } from '@/app/_components/person-name';
import { dayAfter, formatDateTime } from '@/app/_components/date-format';
import { Evidence } from '../_components/evidence';
import { ImportedMarker } from '../_components/imported-marker';
import { FindingTimeline } from '../_components/finding-timeline';
import { ActionPanel } from '../_components/action-panel';
import { RiskAcceptances } from '../_components/risk-acceptances';
import { ExceptionRequests } from '../_components/exception-requests';
import { Remediation } from '@/app/_components/remediation';
import { InlineCode } from '@/app/_components/inline-code';
import { jiraLinksFor } from '@/lib/services/jira/issues';
import { jiraReady } from '@/lib/services/jira/connection';
import { JiraIssues } from '../../_components/jira-issues';

export const metadata: Metadata = { title: 'Finding' };
export const dynamic = 'force-dynamic';

const FRAMEWORK_CHIP: Record<string, { short: string; style: string }> = {
  'iso27001-2022': { short: 'ISO', style: 'bg-blue-50 text-blue-900' },
  'nsa-k8s-1.2': { short: 'NSA', style: 'bg-amber-50 text-amber-900' },
};
/** CIS chips name the version: the service lists only the organization's (Settings → Benchmark). */
const chipOf = (m: { frameworkId: string; frameworkName: string; frameworkVersion: string | null }) =>
  m.frameworkId.startsWith('cis-') ? { short: `CIS v${m.frameworkVersion ?? ''}`, style: 'bg-slate-100 text-slate-800' } : FRAMEWORK_CHIP[m.frameworkId] ?? { short: m.frameworkName, style: 'bg-slate-100' };
const RESOLUTION = { FIXED: 'fixed (no longer in the latest snapshot)', FALSE_POSITIVE: 'dismissed as a false positive', EXCEPTION: 'covered by a scoped exception', CONTROL_DISABLED: 'control disabled (the organization turned its custom control off)' } as const;

export default async function FindingPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const ctx = await requireOrgContext(org);
  const [data, { members }, teams] = await Promise.all([orNotFound(getFinding(ctx, id)), listMembers(ctx), listTeams(ctx)]);
  const [jiraLinks, jiraSetUp] = await Promise.all([jiraLinksFor(ctx, { findingId: data.finding.id }), jiraReady(ctx)]);
  const { finding, control, custom, mappings, otherClusters, sameResource, timeline, riskAcceptances, tickets, exceptionRequests } = data;
  const now = new Date();
  const base = `/o/${org}`;
  const resource = `${finding.resourceKind} ${finding.resourceNamespace ? `${finding.resourceNamespace}/` : ''}${finding.resourceName}`;
  const title = control?.title ?? finding.controlId;
  const overdue = (finding.status === 'OPEN' || finding.status === 'ACKNOWLEDGED') && finding.dueAt !== null && finding.dueAt < now;
  const names = {
    people: new Map(members.map((m) => [m.userId, personName(m)])),
    teams: new Map(teams.map((t) => [t.id, t.name])),
  };
  const permissions = {
    acknowledge: can(ctx, 'finding.acknowledge'), assign: can(ctx, 'finding.assign'), comment: can(ctx, 'finding.comment'),
    requestRisk: can(ctx, 'risk.request'), falsePositive: can(ctx, 'finding.false_positive'), exception: can(ctx, 'exception.manage'),
    ticket: can(ctx, 'ticket.manage'),
  };

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm"><Link href={`${base}/findings`} className="text-brand-700 hover:underline">← Findings</Link></nav>
      <header className="mb-6">
        <div className="flex flex-wrap items-center gap-2">
          <SeverityBadge severity={finding.severity} />
          <StatusBadge status={finding.status} />
          {finding.isPlatform && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">managed by Kubernetes</span>}
          {finding.reopenedCount > 0 && <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-900">reopened {finding.reopenedCount}×</span>}
        </div>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{title}</h1>
        <p className="mt-1 text-sm text-slate-600">
          <span className="break-all">{resource}</span> on <Link href={`${base}/clusters/${finding.cluster.id}`} className="text-brand-700 underline hover:text-brand-600">{finding.cluster.name}</Link>
          {' '}· <code className="text-xs">{finding.controlId}</code>
          {custom && (
            <>
              {' '}· <Link href={`${base}/controls/custom/${custom.customControlId}`} className="rounded bg-violet-50 px-1 py-0.5 text-xs text-violet-900 hover:underline" data-testid="custom-control-marker">
                your organization&apos;s control, version {custom.version}{custom.version !== custom.currentVersion ? ` (now ${custom.currentVersion}${custom.enabled ? '' : ', disabled'})` : custom.enabled ? '' : ' (disabled)'}
              </Link>
            </>
          )}
          <ImportedMarker controlId={finding.controlId} />
        </p>
        {finding.status === 'RESOLVED' && finding.resolutionReason && (
          <p className="mt-2 text-sm text-emerald-800">Resolved {finding.resolvedAt ? <TimeAgo date={finding.resolvedAt} now={now} /> : ''}: {RESOLUTION[finding.resolutionReason]}.</p>
        )}
      </header>

      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          <Card title="What is wrong">
            <p className="text-sm">{finding.message}</p>
            {sameResource.length > 0 && (
              <div className="mt-3 rounded-md bg-slate-50 px-3 py-2 text-sm" data-testid="same-resource">
                <p className="font-medium">This control also found, on the same {finding.resourceKind}:</p>
                <ul className="mt-1 list-disc space-y-1 pl-5">
                  {sameResource.map((other) => (
                    <li key={other.id}><Link href={`${base}/findings/${other.id}`} className="text-brand-700 hover:underline">{other.message}</Link> <StatusBadge status={other.status} /></li>
                  ))}
                </ul>
              </div>
            )}
            {control?.rationale && <p className="mt-3 text-sm" data-testid="why-it-matters"><span className="font-semibold">Why it matters: </span><InlineCode text={control.rationale} /></p>}
          </Card>
          <Card title="Evidence"><Evidence evidence={finding.evidence} /></Card>
          {control?.remediation && (
            <Card title="How to fix">
              <Remediation text={control.remediation} />
            </Card>
          )}
          <Card title="Timeline"><FindingTimeline entries={timeline} names={names} org={org} /></Card>
        </div>

        <div className="min-w-0 space-y-4">
          <Card title="Actions">
            <ActionPanel
              org={org} finding={finding} severity={finding.severity} ticketTitle={`${title}: ${resource} (${finding.cluster.name})`.slice(0, 200)}
              can={permissions} members={members.filter((m) => isAssignableRole(m.role)).map((m) => ({ id: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }))}
              teams={teams.map((t) => ({ id: t.id, label: t.name }))} today={dayAfter(now, 0)}
              bounds={{ min: dayAfter(now, 1), max: dayAfter(now, MAX_ACCEPTANCE_DAYS) }}
              hasPendingRisk={riskAcceptances.some((r) => r.status === 'PENDING')}
            />
          </Card>
          <Card title="Jira">
            <JiraIssues org={org} subject={{ findingId: finding.id }} subjectOpen={finding.status !== 'RESOLVED'} canCreate={can(ctx, 'jira.create')} ready={jiraSetUp}
              links={jiraLinks.map((l) => ({ id: l.id, issueKey: l.issueKey, url: l.url, status: l.status, statusCategory: l.statusCategory, lastSynced: formatDateTime(l.lastSyncedAt) }))} />
          </Card>
          <Card title="Details">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-sm">
              <dt className="text-slate-500">Assignee</dt>
              <dd>{finding.assigneeUser || finding.assigneeTeam ? <>{finding.assigneeUser && personName(finding.assigneeUser)}{finding.assigneeUser && finding.assigneeTeam && ', '}{finding.assigneeTeam && `team ${finding.assigneeTeam.name}`}</> : <span className="text-slate-500">unassigned</span>}</dd>
              <dt className="text-slate-500">Due</dt><dd><DueDate date={finding.dueAt} overdue={overdue} /></dd>
              <dt className="text-slate-500">First seen</dt><dd title={formatDateTime(finding.firstSeenAt)}><TimeAgo date={finding.firstSeenAt} now={now} /></dd>
              <dt className="text-slate-500">Last seen</dt><dd title={formatDateTime(finding.lastSeenAt)}><TimeAgo date={finding.lastSeenAt} now={now} /></dd>
              {finding.acknowledgedAt && <><dt className="text-slate-500">Acknowledged</dt><dd>by {personName(finding.acknowledgedBy)}, <TimeAgo date={finding.acknowledgedAt} now={now} /></dd></>}
            </dl>
          </Card>
          <Card title="Resource">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-sm">
              <dt className="text-slate-500">Kind</dt><dd>{finding.resourceKind} <span className="text-xs text-slate-500">{finding.resourceApiVersion}</span></dd>
              {finding.resourceNamespace && <><dt className="text-slate-500">Namespace</dt><dd className="break-all">{finding.resourceNamespace}</dd></>}
              <dt className="text-slate-500">Name</dt><dd className="break-all">{finding.resourceName}</dd>
              <dt className="text-slate-500">Cluster</dt><dd>{finding.cluster.name}</dd>
              {finding.resourceUid && <><dt className="text-slate-500">UID</dt><dd className="break-all font-mono text-xs">{finding.resourceUid}</dd></>}
            </dl>
          </Card>
          <Card title="Frameworks">
            {mappings.length === 0 ? <p className="text-sm text-slate-500">Not mapped to a framework requirement.</p> : (
              <ul className="flex flex-wrap gap-1.5">
                {mappings.map((m) => {
                  const chip = chipOf(m);
                  return (
                    <li key={m.requirementId}>
                      <Link href={`${base}/findings?framework=${encodeURIComponent(m.frameworkId)}&requirement=${encodeURIComponent(m.code)}`} title={`${m.frameworkName} ${m.code}: ${m.title}`}
                        className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium hover:underline ${chip.style}`} data-testid={`finding-framework-${m.frameworkId}`}>{chip.short} {m.code}</Link>
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
          <Card title="Same problem on other clusters">
            {otherClusters.length === 0 ? <p className="text-sm text-slate-500">Not found on any other cluster.</p> : (
              <ul className="space-y-1.5 text-sm">
                {otherClusters.map((other) => (
                  <li key={other.findingId} className="flex items-center justify-between gap-2">
                    <Link href={`${base}/findings/${other.findingId}`} className="text-brand-700 hover:underline">{other.clusterName}</Link>
                    <StatusBadge status={other.status} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title="Risk acceptances">
            <RiskAcceptances org={org} items={riskAcceptances} me={actorUserId(ctx)} canApprove={can(ctx, 'risk.approve')} now={now} />
          </Card>
          {exceptionRequests.length > 0 && (
            <Card title="Exception requests">
              <ExceptionRequests org={org} items={exceptionRequests} me={actorUserId(ctx)} canApprove={can(ctx, 'risk.approve')} />
            </Card>
          )}
          <Card title="Tickets">
            {tickets.length === 0 ? <p className="text-sm text-slate-500">No ticket tracks this finding.</p> : (
              <ul className="space-y-1.5 text-sm">
                {tickets.map((ticket) => (
                  <li key={ticket.id} className="flex items-center justify-between gap-2">
                    <Link href={`${base}/tickets/${ticket.number}`} className="min-w-0 truncate text-brand-700 hover:underline">#{ticket.number} {ticket.title}</Link>
                    <span className="shrink-0 text-xs text-slate-600">{ticket.severity} · <StatusBadge status={ticket.status} /></span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
