'use client';
import { useState } from 'react';
import { MAX_ALLOWED_REGISTRIES, type DueDays } from '@/lib/services/orgs/schemas';
import { buttonStyles } from '@/app/_components/button-styles';
import { Card } from '@/app/_components/card';
import { SeverityBadge } from '@/app/_components/severity-badge';
import { updateOrgSettingsAction } from '../actions';
import { Field, FieldError, fieldIssue, SelectField } from '@/app/_components/field';
import { CIS_VERSIONS, type CisVersion } from '@/lib/analysis/frameworks/cis-versions';
import { FormError } from '@/app/_components/form-feedback';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
import { useOrgAction } from '@/app/_components/use-org-action';

type Severity = keyof DueDays;
const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const LABELS: Record<string, string> = { name: 'Name', snapshotRetentionDays: 'Snapshot retention', allowedRegistries: 'Allowed registries', autoTicketCritical: 'Automatic tickets', invitationExpiryDays: 'Invitation links expire after', cisBenchmarkVersion: 'CIS Kubernetes Benchmark version' };

export type GeneralSettings = { name: string; slug: string; dueDays: DueDays; allowedRegistries: string[]; autoTicketCritical: boolean; snapshotRetentionDays: number; invitationExpiryDays: number; cisBenchmarkVersion: CisVersion };

export function GeneralSettingsForm({ org, initial }: { org: string; initial: GeneralSettings }) {
  const [name, setName] = useState(initial.name);
  const [dueDays, setDueDays] = useState<Record<Severity, string>>({
    CRITICAL: String(initial.dueDays.CRITICAL), HIGH: String(initial.dueDays.HIGH), MEDIUM: String(initial.dueDays.MEDIUM), LOW: String(initial.dueDays.LOW),
  });
  const [registries, setRegistries] = useState(initial.allowedRegistries.join('\n'));
  const [autoTicket, setAutoTicket] = useState(initial.autoTicketCritical);
  const [retention, setRetention] = useState(String(initial.snapshotRetentionDays));
  const [invitationDays, setInvitationDays] = useState(String(initial.invitationExpiryDays));
  const [cisVersion, setCisVersion] = useState<string>(initial.cisBenchmarkVersion);
  const [saved, setSaved] = useState(false);
  const { run, pending, error } = useOrgAction();

  // Blank lines are dropped before sending, so issues on allowedRegistries[i] are mapped back to textarea lines.
  const registryLines = registries.split('\n').map((value, index) => ({ value: value.trim(), line: index + 1 })).filter((entry) => entry.value !== '');
  const describe = (path: string): string => {
    const registry = /^allowedRegistries\[(\d+)\]$/.exec(path);
    if (registry) {
      const entry = registryLines[Number(registry[1])];
      return entry ? `Allowed registries, line ${entry.line} (“${entry.value}”)` : 'Allowed registries';
    }
    const due = /^dueDays\.(\w+)$/.exec(path);
    if (due) return `Days until due, ${(due[1] ?? '').toLowerCase()}`;
    return LABELS[path] ?? path;
  };
  const edited = () => setSaved(false);

  return (
    <form
      noValidate
      className="grid max-w-3xl gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => updateOrgSettingsAction(org, {
          name,
          dueDays: { CRITICAL: Number(dueDays.CRITICAL), HIGH: Number(dueDays.HIGH), MEDIUM: Number(dueDays.MEDIUM), LOW: Number(dueDays.LOW) },
          allowedRegistries: registryLines.map((entry) => entry.value),
          autoTicketCritical: autoTicket,
          snapshotRetentionDays: Number(retention),
          invitationExpiryDays: Number(invitationDays),
          cisBenchmarkVersion: cisVersion as CisVersion,
        }), { onSuccess: () => setSaved(true) });
      }}
    >
      <Card title="Organization">
        <Field id="org-name" label="Name" value={name} onChange={(e) => { setName(e.target.value); edited(); }} required maxLength={100}
          hint={<>The address stays <span className="font-mono">/o/{initial.slug}</span>.</>} error={fieldIssue(error, 'name')} />
      </Card>

      <Card title="Days until a finding is due">
        <fieldset>
          <legend className="mb-3 text-sm text-slate-600">A new or reopened finding is due this many days after it is first seen (1–365).</legend>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {SEVERITIES.map((severity) => {
              const id = `due-${severity.toLowerCase()}`;
              const issue = fieldIssue(error, `dueDays.${severity}`);
              return (
                <div key={severity} className="space-y-1">
                  <label htmlFor={id} className="block"><SeverityBadge severity={severity} /><span className="sr-only"> findings, days until due</span></label>
                  <input id={id} type="number" inputMode="numeric" min={1} max={365} step={1} value={dueDays[severity]}
                    onChange={(e) => { setDueDays({ ...dueDays, [severity]: e.target.value }); edited(); }}
                    aria-invalid={issue ? true : undefined} aria-describedby={`${id}-error`} className={inputStyles} />
                  <FieldError id={`${id}-error`} message={issue} />
                </div>
              );
            })}
          </div>
        </fieldset>
      </Card>

      <Card title="Images and snapshots">
        <div className="space-y-5">
          <div className="space-y-1">
            <label htmlFor="allowed-registries" className={labelStyles}>Allowed registries</label>
            <p id="allowed-registries-help" className="text-xs text-slate-500">
              One registry or registry path per line, at most {MAX_ALLOWED_REGISTRIES}, e.g. <code>ghcr.io/acme/</code>, <code>registry.example.com</code>, <code>docker.io/library/</code>.
              A prefix matches whole path segments. Leave empty to skip the allowed-registry control.
            </p>
            <textarea id="allowed-registries" rows={Math.min(10, Math.max(3, registryLines.length + 1))} value={registries}
              onChange={(e) => { setRegistries(e.target.value); edited(); }} spellCheck={false} autoCapitalize="none"
              aria-invalid={fieldIssue(error, 'allowedRegistries') ? true : undefined} aria-describedby="allowed-registries-help allowed-registries-error"
              className={`${inputStyles} font-mono`} />
            <FieldError id="allowed-registries-error" message={fieldIssue(error, 'allowedRegistries') && 'See the lines named above the Save button.'} />
          </div>
          <div className="flex items-start gap-2">
            <input id="auto-ticket" type="checkbox" checked={autoTicket} onChange={(e) => { setAutoTicket(e.target.checked); edited(); }} className="mt-1 size-4" aria-describedby="auto-ticket-help" />
            <div>
              <label htmlFor="auto-ticket" className={labelStyles}>Open a ticket for every new critical finding</label>
              <p id="auto-ticket-help" className="text-xs text-slate-500">Each new critical finding then opens a ticket of its own.</p>
            </div>
          </div>
          <Field id="retention" label="Keep snapshot bodies for (days)" className="max-w-xs space-y-1" type="number" inputMode="numeric" min={1} max={3650} step={1} value={retention}
            onChange={(e) => { setRetention(e.target.value); edited(); }}
            hint="1–3650. Older snapshot bodies are deleted; their results and findings stay." error={fieldIssue(error, 'snapshotRetentionDays')} />
        </div>
      </Card>

      <Card title="Invitations">
        <Field id="invitation-expiry" label="Invitation links expire after (days)" className="max-w-xs space-y-1" type="number" inputMode="numeric" min={1} max={90} step={1}
          value={invitationDays} onChange={(e) => { setInvitationDays(e.target.value); edited(); }}
          hint="1–90. Applies to links created or sent again from now on." error={fieldIssue(error, 'invitationExpiryDays')} />
      </Card>

      <Card title="Benchmark">
        <SelectField id="cis-version" label="CIS Kubernetes Benchmark version" className="max-w-xs space-y-1" value={cisVersion}
          onChange={(e) => { setCisVersion(e.target.value); edited(); }}
          hint="Sections 1-5. CIS reports, scores and the Statement of Applicability use this version from now on; v1.12 is the newest kube-bench ships."
          error={fieldIssue(error, 'cisBenchmarkVersion')}>
          {CIS_VERSIONS.map((version) => <option key={version} value={version}>v{version}</option>)}
        </SelectField>
      </Card>

      <FormError error={error} describe={describe} />
      <div className="flex items-center gap-3">
        <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : 'Save settings'}</button>
        {saved && <p role="status" className="text-sm text-emerald-700">Settings saved.</p>}
      </div>
    </form>
  );
}
