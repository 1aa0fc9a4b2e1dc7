import { describe, expect, it } from 'vitest';
import { renderMail } from '../mail/render';
import { digestTemplate } from './content';
import { digestPeriod, SetDigestSchema } from './schemas';

describe('digest periods', () => {
  it('a daily digest belongs to the latest 08:00 in the member\'s zone: before it, the previous day (a late worker catches up once)', () => {
    expect(digestPeriod('daily', 'Europe/Berlin', new Date('2026-12-09T07:30:00Z')).key).toBe('daily:2026-12-09T07:00:00.000Z');
    expect(digestPeriod('daily', 'Europe/Berlin', new Date('2026-12-09T06:59:00Z')).key).toBe('daily:2026-12-08T07:00:00.000Z');
    expect(digestPeriod('daily', 'America/New_York', new Date('2026-12-09T12:00:00Z')).key).toBe('daily:2026-12-08T13:00:00.000Z');
    // Summer time: 08:00 in Berlin is 06:00 UTC.
    expect(digestPeriod('daily', 'Europe/Berlin', new Date('2026-07-01T06:00:00Z')).key).toBe('daily:2026-07-01T06:00:00.000Z');
  });

  it('a weekly digest belongs to the latest Monday 08:00: every tick of the week maps to one period', () => {
    const monday = 'weekly:2026-12-07T08:00:00.000Z';
    expect(digestPeriod('weekly', 'UTC', new Date('2026-12-07T08:00:00Z')).key).toBe(monday);
    expect(digestPeriod('weekly', 'UTC', new Date('2026-12-13T23:59:00Z')).key).toBe(monday);
    expect(digestPeriod('weekly', 'UTC', new Date('2026-12-07T07:59:00Z')).key).toBe('weekly:2026-11-30T08:00:00.000Z');
  });

  it('the setting names the field a bad value is in', () => {
    expect(SetDigestSchema.safeParse({ frequency: 'weekly', timeZone: 'Europe/Berlin' }).success).toBe(true);
    expect(SetDigestSchema.safeParse({ frequency: 'hourly', timeZone: 'UTC' }).error?.issues[0]?.path).toEqual(['frequency']);
    expect(SetDigestSchema.safeParse({ frequency: 'daily', timeZone: 'Nowhere/Else' }).error?.issues[0]?.path).toEqual(['timeZone']);
  });
});

describe('digest mail', () => {
  it('lists items as links, escaped in HTML, with an exact count and "more" beyond the top', () => {
    const { subject, template } = digestTemplate({
      assigned: { count: 7, top: [{ text: 'CRITICAL x on Pod <script>a</script>', path: '/o/acme/findings/1' }] },
      approvals: { count: 0, top: [] },
      expiring: { count: 1, top: [{ text: 'HIGH y, expires 2026-12-10', path: '/o/acme/findings/2' }] },
      total: 8,
    }, { organizationName: 'Acme & Co', frequency: 'weekly', link: (p) => `https://bulwark.example${p}`, approvalsPath: '/o/acme/approvals', findingsPath: '/o/acme/findings' });
    expect(subject).toBe('[Acme & Co] Your weekly digest: 7 open findings, 1 expiring acceptance');
    const mail = renderMail(template, { categoryLabel: 'digests', unsubscribeUrl: 'https://bulwark.example/mail/unsubscribe?t=x' });
    expect(mail.html).toContain('<a href="https://bulwark.example/o/acme/findings/1" style="color:#1d4ed8">CRITICAL x on Pod &lt;script&gt;a&lt;/script&gt;</a>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('Open findings assigned to you: 7\n- CRITICAL x on Pod <script>a</script>: https://bulwark.example/o/acme/findings/1\nAnd 6 more in the findings list.');
    expect(mail.text).not.toContain('approval');
  });
});
