import { COLOR, CONTENT_WIDTH, TableWriter, formatDate, heading, paragraph, type Doc } from './pdf-layout';
import type { ReportAccessReview, ReportAccessReviewItem, ReportData } from './types';

/** At most this many decisions per campaign in the PDF (the CSV has them all, up to the evidence cap). */
const MAX_PDF_ITEMS = 300;

function revocationText(item: ReportAccessReviewItem): string {
  if (item.decision === 'keep') return '';
  if (item.revocation === 'carried out') return `carried out ${formatDate(item.revocationClosedAt)}`;
  return item.revocation === 'overdue' ? 'NOT carried out (overdue)' : 'not yet carried out';
}

function drawCampaign(doc: Doc, campaign: ReportAccessReview): void {
  heading(doc, `Access review: ${campaign.name}`, { size: 11 });
  const t = campaign.totals;
  paragraph(doc, `${campaign.scope} on ${campaign.clusters.join(', ') || 'no cluster'}; started ${formatDate(campaign.startedAt)} by ${campaign.startedBy}, due ${formatDate(campaign.dueAt)}; signed off ${formatDate(campaign.completedAt)} by ${campaign.signedOffBy}.`, { size: 9 });
  paragraph(doc, `${t.items} rights reviewed: ${t.kept} kept, ${t.revoked} revoked (${t.carriedOut} carried out${t.overdue > 0 ? `, ${t.overdue} overdue` : ''}); ${t.newItems} new since the previous review.`, { size: 9 });
  if (campaign.summary) paragraph(doc, `Summary: ${campaign.summary}`, { size: 9 });
  const table = new TableWriter<ReportAccessReviewItem>(doc, [
    { header: 'Cluster', width: 60, value: (i) => i.cluster, maxLines: 2 },
    { header: 'Subject', width: 95, value: (i) => i.subject, maxLines: 3, bold: true },
    { header: 'Right', width: 110, value: (i) => `${i.right}${i.risks.length ? ` [${i.risks.join(', ')}]` : ''}`, maxLines: 4 },
    { header: 'Decision', width: 110, value: (i) => `${i.decision === 'keep' ? 'Kept' : 'Revoked'} by ${i.decidedBy}, ${formatDate(i.decidedAt)}${i.reason ? `: ${i.reason}` : ''}`, maxLines: 5 },
    { header: 'Revocation', width: CONTENT_WIDTH - 375, value: revocationText, maxLines: 2, color: (i) => (i.revocation === 'overdue' ? COLOR.fail : COLOR.text) },
  ], `Access review: ${campaign.name}`).begin();
  for (const item of campaign.items.slice(0, MAX_PDF_ITEMS)) table.row(item);
  table.end('No items.');
  if (campaign.items.length > MAX_PDF_ITEMS) paragraph(doc, `The first ${MAX_PDF_ITEMS} of ${campaign.items.length} decisions (privileged first); the CSV export lists them all.`, { size: 8, color: COLOR.muted });
}

/**
 * Access reviews signed off within the period (issue 22): evidence for A.5.15 (access control), A.5.18 (access
 * rights: reviewed periodically) and A.8.2 (privileged access rights). Who reviewed what and when, the decisions and
 * their reasons, and whether each revocation was carried out (a later snapshot no longer granted it).
 */
export function drawAccessReviews(doc: Doc, data: ReportData): void {
  if (!data.header.framework.id.startsWith('iso27001')) return;
  const reviews = data.accessReviews ?? [];
  heading(doc, 'Access reviews (A.5.15, A.5.18, A.8.2)', { size: 13 });
  paragraph(doc, 'Reviews of who can do what on the clusters, signed off within the period. Each right was frozen from the cluster\u2019s latest evaluated snapshot when the review started; a reviewer never decided their own access; a revocation counts as carried out once a later snapshot no longer granted the right.', { size: 8.5, color: COLOR.muted });
  if (reviews.length === 0) {
    paragraph(doc, 'No access review was signed off within this period.', { size: 9 });
    return;
  }
  for (const campaign of reviews) drawCampaign(doc, campaign);
}
