'use client';
import { useState } from 'react';
import { AcknowledgeForm, AssignForm, CommentForm, DueDateForm, OpenTicketForm, type Option } from './finding-forms';
import { useSelection } from './selection';
import { JiraBulkForm } from './jira-bulk-form';

type Panel = 'acknowledge' | 'assign' | 'due' | 'comment' | 'ticket' | 'jira';
/** `jira`: may create Jira issues, and Jira is set up (connected, with a project). */
export type BulkPermissions = { acknowledge: boolean; assign: boolean; comment: boolean; ticket: boolean; jira?: boolean };

const LABELS: Record<Panel, string> = { acknowledge: 'Acknowledge', assign: 'Assign', due: 'Set due date', comment: 'Comment', ticket: 'Open a ticket', jira: 'Create Jira issues' };

/** The toolbar above the findings table: what to do with the selected findings, one form at a time. */
export function BulkActions({ org, can, members, teams, today }: { org: string; can: BulkPermissions; members: Option[]; teams: Option[]; today: string }) {
  const { selected, clear } = useSelection();
  const [panel, setPanel] = useState<Panel | null>(null);
  const findingIds = [...selected];
  const panels: Panel[] = [
    ...(can.acknowledge ? ['acknowledge' as const] : []),
    ...(can.assign ? ['assign' as const, 'due' as const] : []),
    ...(can.comment ? ['comment' as const] : []),
    ...(can.ticket ? ['ticket' as const] : []),
    ...(can.jira ? ['jira' as const] : []),
  ];
  if (panels.length === 0) return null;
  const formProps = { org, findingIds, onDone: clear };
  return (
    <section aria-label="Bulk actions" className="mb-3 rounded-xl border border-slate-200 bg-white p-3">
      <div className="flex flex-wrap items-center gap-2">
        <p className="mr-2 text-sm font-medium" aria-live="polite">
          {selected.size === 0 ? 'Select findings to act on several at once' : `${selected.size} selected`}
        </p>
        {panels.map((name) => (
          <button
            key={name}
            type="button"
            aria-expanded={panel === name}
            aria-controls="bulk-panel"
            onClick={() => setPanel(panel === name ? null : name)}
            className={`rounded-md border px-3 py-1.5 text-sm font-medium ${panel === name ? 'border-brand-600 bg-brand-50 text-brand-700' : 'border-slate-300 bg-white text-slate-800 hover:bg-slate-50'}`}
          >
            {LABELS[name]}
          </button>
        ))}
        {selected.size > 0 && <button type="button" onClick={clear} className="ml-auto text-sm text-slate-600 hover:underline">Clear selection</button>}
      </div>
      {panel && (
        <div id="bulk-panel" className="mt-3 max-w-2xl border-t border-slate-100 pt-3">
          {panel === 'acknowledge' && <AcknowledgeForm {...formProps} withNote />}
          {panel === 'assign' && <AssignForm {...formProps} members={members} teams={teams} />}
          {panel === 'due' && <DueDateForm {...formProps} today={today} />}
          {panel === 'comment' && <CommentForm {...formProps} />}
          {panel === 'ticket' && <OpenTicketForm {...formProps} />}
          {panel === 'jira' && <JiraBulkForm {...formProps} />}
        </div>
      )}
    </section>
  );
}
