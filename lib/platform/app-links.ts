/**
 * How the app names and links the things it shows: the same words and paths in pages, notifications, webhook
 * payloads and e-mail. Paths are relative to APP_URL.
 */

/** "Deployment shop/web", "Cluster prod": how a finding's resource is named in titles and messages. */
export function resourceLabel(finding: { resourceKind: string; resourceNamespace: string | null; resourceName: string }): string {
  return `${finding.resourceKind} ${finding.resourceNamespace ? `${finding.resourceNamespace}/` : ''}${finding.resourceName}`;
}

export function findingPath(organizationSlug: string, findingId: string): string {
  return `/o/${organizationSlug}/findings/${findingId}`;
}

export function ticketPath(organizationSlug: string, number: number): string {
  return `/o/${organizationSlug}/tickets/${number}`;
}
