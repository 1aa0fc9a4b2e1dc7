import type { TenantTx } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { ORG_FRAMEWORK_REPORT_FORMATS } from './schemas';

/**
 * A report (or a schedule of reports) of the organization's own framework (`org:<key>`, issue 23): the key must be
 * one of this organization's frameworks (else 404, as for another organization's id), and the format PDF, CSV or
 * JSON (400 naming `format`: OSCAL needs a published catalog to point at). Catalog frameworks pass untouched.
 */
export async function checkOrgFrameworkReport(tx: Pick<TenantTx, 'orgFramework'>, frameworkId: string, format: string): Promise<void> {
  if (!frameworkId.startsWith('org:')) return;
  if (!(await tx.orgFramework.findFirst({ where: { key: frameworkId.slice('org:'.length) }, select: { id: true } }))) throw new AppError('not_found', 'Framework not found');
  if (!(ORG_FRAMEWORK_REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new AppError('invalid', 'An organization framework\'s report is a PDF, CSV or JSON file', [{ path: 'format', message: `${format} is not offered for ${frameworkId}; choose PDF, CSV or JSON` }]);
  }
}
