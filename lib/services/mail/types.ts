/**
 * What Bulwark mails, by category. A person can opt out of each category separately (the unsubscribe link in
 * every mail of that category); `invitation` is transactional: it carries the only way into an organization,
 * so it has no unsubscribe link and an opt-out never stops it.
 */
export const MAIL_CATEGORIES = ['invitation', 'assignment', 'risk_acceptance', 'ticket', 'scheduled_report', 'digest', 'access_review'] as const;
export type MailCategory = (typeof MAIL_CATEGORIES)[number];

/** Categories that are never suppressed by an opt-out (and carry no unsubscribe link). */
export const TRANSACTIONAL_CATEGORIES: ReadonlySet<MailCategory> = new Set(['invitation']);

/** What each category is about, as the unsubscribe page and the mail's footer name it. */
export const MAIL_CATEGORY_LABELS: Record<MailCategory, string> = {
  invitation: 'invitations',
  assignment: 'finding assignments',
  risk_acceptance: 'risk acceptance requests, decisions and expiry reminders',
  ticket: 'ticket assignments',
  scheduled_report: 'scheduled reports',
  digest: 'your daily or weekly digest',
  access_review: 'access reviews: items to review, reminders before the due date, revocations to carry out',
};

/**
 * Who receives a mail. `{ userId }`: a member of the caller's organization (anyone else is skipped, so a mail
 * never leaves the organization by mistake). `{ email }`: an address the caller has already vetted (the invitee
 * of an invitation, an external auditor address an admin approved for scheduled reports).
 */
export type MailRecipient = { userId: string } | { email: string };

/**
 * The one template set: every mail is a heading, a few paragraphs of plain text, an optional button (one link)
 * and an optional footnote. Rendered to HTML (every value escaped) and to plain text by render.ts. Put no secret
 * in it: the only token a mail may carry is a single-use or expiring link in `action.url`.
 */
export type MailTemplate = {
  heading: string;
  paragraphs: string[];
  /** Titled lists of linked items (a digest's findings and approvals), after the paragraphs. */
  sections?: MailSection[];
  action?: { label: string; url: string };
  footnote?: string;
};

/** A titled list in a mail: each item one line of text, optionally linked (http(s) only). */
export type MailSection = { title: string; items: { text: string; url?: string }[]; more?: string };

export type MailRequest = {
  to: MailRecipient[];
  category: MailCategory;
  subject: string;
  template: MailTemplate;
};

/** Delivery states of a MailMessage row (the admins' mail log). */
export const MAIL_STATUSES = ['QUEUED', 'SENT', 'FAILED', 'BOUNCED', 'SKIPPED'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];
