'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { parseSelectorText, selectorToText, type RuleSpec } from '@/lib/analysis/cel';
import type { PreviewCluster } from '@/lib/services/policies/preview';
import { createCustomControlAction, previewRuleAction, updateCustomControlAction } from '../actions';
import { reevaluatingText } from './enable-toggle';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { Field, SelectField, TextAreaField, fieldIssue } from '@/app/_components/field';
import { buttonStyles } from '@/app/_components/button-styles';
import { labelStyles } from '@/app/_components/form-styles';

type Severity = 'critical' | 'high' | 'medium' | 'low';
export type EditorInitial = {
  key: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  requirementIds: string[];
  rule: RuleSpec;
};
type Validation = { expression: string; message: string; messageExpression: string };

const list = (text: string) => text.split(/[,\n]/).map((part) => part.trim()).filter(Boolean);

/** "networking.k8s.io/Ingress, core/Service, Deployment" ⇄ resources (a bare kind: any API group). */
function resourcesToText(resources: RuleSpec['match']['resources']): string {
  return resources.flatMap((r) => r.kinds.flatMap((kind) => (r.apiGroups && r.apiGroups.length > 0 ? r.apiGroups.map((g) => `${g === '' ? 'core' : g}/${kind}`) : [kind]))).join(', ');
}
function textToResources(text: string): RuleSpec['match']['resources'] {
  return list(text).map((entry) => {
    const slash = entry.lastIndexOf('/');
    if (slash === -1) return { kinds: [entry] };
    const group = entry.slice(0, slash);
    return { apiGroups: [group === 'core' ? '' : group], kinds: [entry.slice(slash + 1)] };
  });
}
const PATH_NAMES: Record<string, string> = { key: 'Key', title: 'Title', severity: 'Severity', rationale: 'Rationale', remediation: 'Remediation', requirementIds: 'Requirements' };
function describePath(path: string): string {
  const validation = /^rule\.validations\.(\d+)\.(\w+)/.exec(path);
  if (validation) return `Validation ${Number(validation[1]) + 1} ${validation[2] === 'expression' ? 'expression' : validation[2] === 'messageExpression' ? 'message expression' : validation[2]}`;
  if (path.startsWith('rule.match')) return `Match (${path.slice('rule.match.'.length) || 'resources'})`;
  return PATH_NAMES[path] ?? path;
}

/** The custom control editor: what it matches, its CEL validations, the texts, a preview on real clusters, save. */
export function CustomControlEditor({ org, customControlId, initial, clusters, canManage }: {
  org: string;
  /** Absent: a new control. */
  customControlId?: string;
  initial: EditorInitial;
  clusters: { id: string; name: string }[];
  canManage: boolean;
}) {
  const router = useRouter();
  const save = useOrgAction();
  const preview = useOrgAction();
  const [key, setKey] = useState(initial.key);
  const [title, setTitle] = useState(initial.title);
  const [severity, setSeverity] = useState<Severity>(initial.severity);
  const [rationale, setRationale] = useState(initial.rationale);
  const [remediation, setRemediation] = useState(initial.remediation);
  const [requirements, setRequirements] = useState(initial.requirementIds.join(', '));
  const [resources, setResources] = useState(resourcesToText(initial.rule.match.resources));
  const [namespaces, setNamespaces] = useState((initial.rule.match.namespaces ?? []).join(', '));
  const [excluded, setExcluded] = useState((initial.rule.match.excludedNamespaces ?? []).join(', '));
  const [namespaceLabels, setNamespaceLabels] = useState(selectorToText(initial.rule.match.namespaceSelector));
  const [objectLabels, setObjectLabels] = useState(selectorToText(initial.rule.match.objectSelector));
  // Selector mistakes are shown at their field as soon as a save or preview is attempted (and then as one types).
  const [checkSelectors, setCheckSelectors] = useState(false);
  const namespaceSelector = parseSelectorText(namespaceLabels);
  const objectSelector = parseSelectorText(objectLabels);
  const selectorsOk = namespaceSelector.ok && objectSelector.ok;
  const selectorError = (parsed: typeof namespaceSelector, path: string) =>
    (!parsed.ok && checkSelectors ? parsed.error : undefined) ?? fieldIssue(save.error ?? preview.error, path);
  const attempt = (go: () => void) => {
    setCheckSelectors(true);
    if (selectorsOk) go();
  };
  const [validations, setValidations] = useState<Validation[]>(initial.rule.validations.map((v) => ({ expression: v.expression, message: v.message ?? '', messageExpression: v.messageExpression ?? '' })));
  const [previewClusters, setPreviewClusters] = useState<string[]>([]);
  const [results, setResults] = useState<PreviewCluster[] | null>(null);

  function rule(): RuleSpec {
    const ns = list(namespaces);
    const ex = list(excluded);
    const nsSelector = namespaceSelector.ok ? namespaceSelector.selector : undefined;
    const objSelector = objectSelector.ok ? objectSelector.selector : undefined;
    return {
      match: {
        resources: textToResources(resources),
        ...(ns.length ? { namespaces: ns } : {}),
        ...(ex.length ? { excludedNamespaces: ex } : {}),
        ...(nsSelector ? { namespaceSelector: nsSelector } : {}),
        ...(objSelector ? { objectSelector: objSelector } : {}),
      },
      validations: validations.map((v) => ({
        expression: v.expression,
        ...(v.message.trim() ? { message: v.message.trim() } : {}),
        ...(v.messageExpression.trim() ? { messageExpression: v.messageExpression } : {}),
      })),
    };
  }
  const content = () => ({ title, severity, rationale, remediation, rule: rule(), requirementIds: list(requirements) });
  const setValidation = (index: number, change: Partial<Validation>) => setValidations((all) => all.map((v, i) => (i === index ? { ...v, ...change } : v)));
  const error = save.error ?? preview.error;

  return (
    <form
      className="space-y-6"
      onSubmit={(event) => {
        event.preventDefault();
        attempt(() => {
          if (customControlId) {
            save.run(() => updateCustomControlAction(org, { customControlId, ...content() }), {
              success: (data) => (data.changed ? `Saved as version ${data.version}${data.reevaluating > 0 ? `; ${reevaluatingText(data.reevaluating)}` : ''}.` : 'Nothing changed.'),
            });
          } else {
            save.run(() => createCustomControlAction(org, { key, ...content() }), {
              onSuccess: (data) => router.push(`/o/${org}/controls/custom/${data.id}`),
              refresh: false,
            });
          }
        });
      }}
    >
      <section className="grid gap-4 rounded-xl border border-slate-200 bg-white p-4 md:grid-cols-2" aria-labelledby="about-heading">
        <h2 id="about-heading" className="text-base font-semibold md:col-span-2">About</h2>
        <Field id="cc-title" label="Title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} error={fieldIssue(save.error, 'title')} />
        {customControlId ? (
          <div className="space-y-1"><span className={labelStyles}>Key</span><p className="text-sm"><code>custom.{key}</code></p></div>
        ) : (
          <Field id="cc-key" label="Key" value={key} onChange={(e) => setKey(e.target.value)} required hint="Lower-case letters, digits and dashes; the control id is custom.<key>." error={fieldIssue(save.error, 'key')} />
        )}
        <SelectField id="cc-severity" label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
          {(['critical', 'high', 'medium', 'low'] as const).map((s) => <option key={s} value={s}>{s}</option>)}
        </SelectField>
        <Field id="cc-requirements" label="Requirements" value={requirements} onChange={(e) => setRequirements(e.target.value)} hint="Comma-separated: iso27001-2022:A.8.9, or your framework's <key>:<code>." error={fieldIssue(save.error, 'requirementIds')} />
        <TextAreaField id="cc-rationale" label="Rationale" value={rationale} onChange={(e) => setRationale(e.target.value)} rows={3} required error={fieldIssue(save.error, 'rationale')} />
        <TextAreaField id="cc-remediation" label="Remediation" value={remediation} onChange={(e) => setRemediation(e.target.value)} rows={3} required error={fieldIssue(save.error, 'remediation')} />
      </section>

      <section className="grid gap-4 rounded-xl border border-slate-200 bg-white p-4 md:grid-cols-2" aria-labelledby="match-heading">
        <h2 id="match-heading" className="text-base font-semibold md:col-span-2">Match</h2>
        <Field id="cc-resources" label="Kinds" value={resources} onChange={(e) => setResources(e.target.value)} required hint="Comma-separated: networking.k8s.io/Ingress, core/Service, apps/Deployment (a bare kind: any API group)." error={fieldIssue(save.error, 'rule.match.resources')} />
        <Field id="cc-namespaces" label="Only in namespaces" value={namespaces} onChange={(e) => setNamespaces(e.target.value)} hint="Names or patterns (prod-*); empty: every namespace." error={fieldIssue(save.error, 'rule.match.namespaces')} />
        <Field id="cc-excluded" label="Excluded namespaces" value={excluded} onChange={(e) => setExcluded(e.target.value)} hint="Names or patterns (ingress-*)." error={fieldIssue(save.error, 'rule.match.excludedNamespaces')} />
        <Field id="cc-ns-labels" label="Namespace selector" value={namespaceLabels} onChange={(e) => setNamespaceLabels(e.target.value)} hint="The object's namespace must match all: env=prod, tier in (web, api), team notin (legacy), stage!=dev, owner (exists), !deprecated (absent)." error={selectorError(namespaceSelector, 'rule.match.namespaceSelector')} />
        <Field id="cc-object-labels" label="Object selector" value={objectLabels} onChange={(e) => setObjectLabels(e.target.value)} hint="The object's labels must match all, same syntax: app=web, tier in (web, api), !legacy." error={selectorError(objectSelector, 'rule.match.objectSelector')} />
      </section>

      <section className="space-y-4 rounded-xl border border-slate-200 bg-white p-4" aria-labelledby="validations-heading">
        <h2 id="validations-heading" className="text-base font-semibold">Validations</h2>
        <p className="text-sm text-slate-600">CEL, as in a ValidatingAdmissionPolicy: each expression reads <code>object</code>, <code>namespaceObject</code> and <code>params</code> (<code>params.allowedRegistries</code>) and returns true when the object complies. The first that returns false makes the finding.</p>
        {validations.map((v, index) => (
          <fieldset key={index} className="space-y-3 rounded-lg border border-slate-200 p-3">
            <legend className="px-1 text-sm font-medium">Validation {index + 1}</legend>
            <TextAreaField id={`cc-expression-${index}`} label="Expression" value={v.expression} onChange={(e) => setValidation(index, { expression: e.target.value })} rows={4} required inputClassName="w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs aria-invalid:border-red-500" error={fieldIssue(error, `rule.validations.${index}.expression`)} />
            <Field id={`cc-message-${index}`} label="Message" value={v.message} onChange={(e) => setValidation(index, { message: e.target.value })} hint="Shown when the expression is false (and the message expression fails)." />
            <TextAreaField id={`cc-message-expression-${index}`} label="Message expression" value={v.messageExpression} onChange={(e) => setValidation(index, { messageExpression: e.target.value })} rows={2} inputClassName="w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs aria-invalid:border-red-500" error={fieldIssue(error, `rule.validations.${index}.messageExpression`)} />
            {validations.length > 1 && <button type="button" className={buttonStyles.secondary} onClick={() => setValidations((all) => all.filter((_, i) => i !== index))}>Remove validation {index + 1}</button>}
          </fieldset>
        ))}
        <button type="button" className={buttonStyles.secondary} onClick={() => setValidations((all) => [...all, { expression: '', message: '', messageExpression: '' }])}>Add a validation</button>
      </section>

      <section className="space-y-3 rounded-xl border border-slate-200 bg-white p-4" aria-labelledby="preview-heading">
        <h2 id="preview-heading" className="text-base font-semibold">Preview</h2>
        <p className="text-sm text-slate-600">Runs this draft on the latest snapshot of the clusters you choose (all when none is chosen) and lists what would fail. Nothing is stored.</p>
        <div className="flex flex-wrap gap-3">
          {clusters.map((cluster) => (
            <label key={cluster.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={previewClusters.includes(cluster.id)} onChange={(e) => setPreviewClusters((ids) => (e.target.checked ? [...ids, cluster.id] : ids.filter((id) => id !== cluster.id)))} />
              {cluster.name}
            </label>
          ))}
        </div>
        {canManage && (
          <button type="button" className={buttonStyles.secondary} disabled={preview.pending} onClick={() => attempt(() => preview.run(() => previewRuleAction(org, { rule: rule(), clusterIds: previewClusters }), { onSuccess: setResults, refresh: false }))}>
            {preview.pending ? 'Running…' : 'Preview'}
          </button>
        )}
        <FormError error={preview.error} describe={describePath} />
        {results && (
          <div className="space-y-3" data-testid="preview-results">
            {results.length === 0 && <p className="text-sm text-slate-600">No cluster has an evaluated snapshot yet.</p>}
            {results.map((cluster) => (
              <div key={cluster.clusterId} className="rounded-lg border border-slate-200 p-3">
                <p className="text-sm font-medium" data-testid="preview-summary">
                  {cluster.clusterName}: {cluster.failingTotal} of {cluster.evaluated} matching objects would fail{cluster.errors.length > 0 ? `, ${cluster.errors.length} could not be evaluated` : ''} ({cluster.durationMs} ms)
                </p>
                {cluster.failing.length > 0 && (
                  <div className="mt-2 overflow-x-auto">
                    <table className="min-w-full text-left text-sm">
                      <thead className="text-xs text-slate-500"><tr><th className="py-1 pr-3">Object</th><th className="py-1">Why</th></tr></thead>
                      <tbody>
                        {cluster.failing.map((f) => (
                          <tr key={`${f.kind}/${f.namespace}/${f.name}`} className="border-t border-slate-100" data-testid="preview-failing">
                            <td className="py-1 pr-3 whitespace-nowrap">{f.kind} {f.namespace ? `${f.namespace}/` : ''}{f.name}</td>
                            <td className="py-1">{f.message}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
                {cluster.errors.length > 0 && (
                  <ul className="mt-2 list-disc pl-5 text-xs text-amber-800">
                    {cluster.errors.slice(0, 10).map((e, i) => <li key={i}>{e.resource ? `${e.resource}: ` : ''}{e.message}</li>)}
                  </ul>
                )}
              </div>
            ))}
          </div>
        )}
      </section>

      <FormError error={save.error} describe={describePath} />
      <FormSuccess message={save.success} />
      {canManage && <button type="submit" className={buttonStyles.primary} disabled={save.pending}>{customControlId ? 'Save as a new version' : 'Create (disabled)'}</button>}
    </form>
  );
}
