import type { ReportData } from './types';

/** Names this document's shape; bumped when a field changes meaning. */
export const JSON_REPORT_FORMAT = 'bulwark-report/1';

/**
 * The report data as one JSON document. Written piece by piece: everything but the findings first, then the
 * findings one page at a time, so 20,000 findings never sit in memory as one string.
 */
export async function* renderJson(data: ReportData): AsyncGenerator<string> {
  const { findings, ...rest } = data;
  const head = JSON.stringify({ reportFormat: JSON_REPORT_FORMAT, ...rest });
  // `head` ends with the closing brace of the object; the findings array goes in before it.
  yield `${head.slice(0, -1)},"findings":[`;
  let first = true;
  for await (const page of findings()) {
    if (page.length === 0) continue;
    yield `${first ? '' : ','}${page.map((finding) => JSON.stringify(finding)).join(',')}`;
    first = false;
  }
  yield ']}\n';
}
