import type { ScanFinding, ScanReport } from './scan';

const SEVERITY_LABEL = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW' } as const;

function resourceLabel(resource: ScanFinding['resource']): string {
  return resource.namespace ? `${resource.kind} ${resource.namespace}/${resource.name}` : `${resource.kind} ${resource.name}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** A terminal table: one line per finding, then the summary and scores. */
export function formatTable(report: ScanReport): string {
  const lines: string[] = [];
  const rows = report.findings.map((f) => [SEVERITY_LABEL[f.severity], f.controlId, resourceLabel(f.resource), f.message]);
  if (rows.length > 0) {
    const header = ['SEVERITY', 'CONTROL', 'RESOURCE', 'MESSAGE'];
    const widths = [0, 1, 2].map((i) => Math.min(60, Math.max(header[i]?.length ?? 0, ...rows.map((r) => r[i]?.length ?? 0))));
    const line = (cells: string[]) => cells.map((cell, i) => (i < 3 ? pad(cell, widths[i] ?? 0) : cell)).join('  ');
    lines.push(line(header), ...rows.map(line), '');
  }
  if (report.accepted.length > 0) {
    lines.push(`ACCEPTED EXCEPTIONS (${report.accepted.length}), from ${'exception.bulwark.dev/<control>'} annotations:`);
    for (const f of report.accepted) lines.push(`  ${SEVERITY_LABEL[f.severity]}  ${f.controlId}  ${resourceLabel(f.resource)}: ${f.message}`, `      reason: ${f.reason}`);
    lines.push('');
  }
  const { summary } = report;
  const f = summary.findings;
  lines.push(
    `${summary.objects} object(s) from ${summary.paths.join(', ')}; ${summary.controls.evaluated} controls: ${summary.controls.passed} passed, ${summary.controls.failed} failed, ${summary.controls.notApplicable} not applicable`,
    `${f.total} finding(s): ${f.critical} critical, ${f.high} high, ${f.medium} medium, ${f.low} low`,
  );
  for (const policy of summary.admissionPolicies) {
    if (policy.bindings.length === 0) lines.push(`ValidatingAdmissionPolicy ${policy.name}: no binding, so neither the cluster nor this scan applies it`);
    for (const binding of policy.bindings) {
      const where = `ValidatingAdmissionPolicy ${policy.name} (binding ${binding.name}, actions ${binding.validationActions.join(', ') || 'none'})`;
      if (binding.status === 'not_evaluable') lines.push(`${where}: not evaluable: ${binding.reason ?? 'no reason given'}`);
      else lines.push(`${where}: ${binding.violations} of ${binding.evaluated} selected object(s) violate it${binding.errors ? `, ${binding.errors} could not be judged` : ''}`);
    }
  }
  for (const score of summary.scores) {
    lines.push(`${score.frameworkId}: ${score.score}% (${score.passed} passed, ${score.failed} failed, ${score.manual} manual, ${score.notApplicable} not applicable)`);
  }
  if (summary.skipped.length > 0) {
    lines.push(`skipped ${summary.skipped.length} object(s): ${summary.skipped.slice(0, 5).map((s) => `${s.kind} ${s.name} (${s.reason})`).join('; ')}${summary.skipped.length > 5 ? '; …' : ''}`);
  }
  for (const error of summary.parseErrors) lines.push(`could not read ${resourceLabel(error.resource)}: ${error.message}`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
