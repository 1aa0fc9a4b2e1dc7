import type { DeliveryStatus } from '@/lib/platform/db/client';

const STYLES: Record<DeliveryStatus, string> = {
  PENDING: 'bg-amber-50 text-amber-900 ring-amber-200',
  DELIVERED: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  FAILED: 'bg-red-50 text-red-800 ring-red-200',
};
const LABELS: Record<DeliveryStatus, string> = { PENDING: 'Pending', DELIVERED: 'Delivered', FAILED: 'Failed' };

/** A delivery's outcome in a pill. */
export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>{LABELS[status]}</span>;
}
