/** A member's digest choices and their labels (no dependencies: the settings form in the browser imports them). */
export const DIGEST_FREQUENCIES = ['none', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];
export const DIGEST_FREQUENCY_LABELS: Record<DigestFrequency, string> = {
  none: 'No digest',
  daily: 'Daily, at 08:00',
  weekly: 'Weekly, Mondays at 08:00',
};
