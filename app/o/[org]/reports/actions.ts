'use server';
import { orgAction } from '@/lib/web/action';
import { requestReport } from '@/lib/services/reports/request-report';
import { RequestReportSchema } from '@/lib/services/reports/schemas';

// Called as requestReportAction(orgSlug, input): the same schema validates the form and the API body.
export const requestReportAction = orgAction(RequestReportSchema, async (ctx, input) => {
  const report = await requestReport(ctx, input);
  return { reportId: report.id, duplicate: report.duplicate };
});
