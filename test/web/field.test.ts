import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Field, fieldIssue, SelectField, TextAreaField } from '@/app/_components/field';
import { SeverityCounts } from '@/app/_components/severity-counts';

// The shared form pieces render what the forms wrote by hand before: the ids, labels and descriptions e2e
// selectors and screen readers rely on.
describe('Field', () => {
  it('labels its input and says nothing more when there is no hint or error', () => {
    const html = renderToStaticMarkup(createElement(Field, { id: 'token-name', label: 'Name', required: true, maxLength: 100, defaultValue: '' }));
    expect(html).toBe('<div class="space-y-1"><label for="token-name" class="text-sm font-medium text-slate-800">Name</label>'
      + '<input required="" maxLength="100" id="token-name" class="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm aria-invalid:border-red-500" value=""/></div>');
  });

  it('is described by its hint, then its error, then text outside it, and marked invalid on an error', () => {
    const html = renderToStaticMarkup(createElement(Field, { id: 'retention', label: 'Days', hint: '1–3650.', error: 'Too many', describedBy: 'row-help', className: 'max-w-xs space-y-1' }));
    expect(html).toContain('<div class="max-w-xs space-y-1">');
    expect(html).toContain('aria-invalid="true" aria-describedby="retention-help retention-error row-help"');
    expect(html).toMatch(/<p id="retention-help" class="text-xs text-slate-500">1–3650\.<\/p><p id="retention-error" class="text-xs text-red-700">Too many<\/p><\/div>$/);
  });

  it('passes aria-invalid through when the error is shown elsewhere', () => {
    const html = renderToStaticMarkup(createElement(Field, { id: 'invite-email', label: 'Email', 'aria-invalid': true, describedBy: 'invite-email-error' }));
    expect(html).toContain('aria-invalid="true" aria-describedby="invite-email-error"');
    expect(html).not.toContain('<p');
  });

  it('renders a select with its options and a textarea with its own classes', () => {
    const select = renderToStaticMarkup(createElement(SelectField, { id: 'role', label: 'Role', defaultValue: 'B' }, createElement('option', { value: 'A' }, 'A'), createElement('option', { value: 'B' }, 'B')));
    expect(select).toMatch(/<label for="role"[^>]*>Role<\/label><select id="role" class="[^"]+"><option value="A">A<\/option><option value="B" selected="">B<\/option><\/select>/);
    const area = renderToStaticMarkup(createElement(TextAreaField, { id: 'labels', label: 'Labels', inputClassName: 'mono', defaultValue: 'a=b' }));
    expect(area).toContain('<textarea id="labels" class="mono">a=b</textarea>');
  });
});

describe('fieldIssue', () => {
  const error = { code: 'invalid' as const, message: 'Please correct the highlighted fields', issues: [{ path: 'dueDays.HIGH', message: 'At most 365' }, { path: 'allowedRegistries[2]', message: 'Not a registry' }] };
  it('finds the issue at a path or below it, and nothing for a path that only starts alike', () => {
    expect(fieldIssue(error, 'dueDays')).toBe('At most 365');
    expect(fieldIssue(error, 'allowedRegistries')).toBe('Not a registry');
    expect(fieldIssue(error, 'due')).toBeUndefined();
    expect(fieldIssue(null, 'dueDays')).toBeUndefined();
  });
});

describe('SeverityCounts', () => {
  it('lists every severity, most severe first, a missing one as 0, each linking where it says', () => {
    const html = renderToStaticMarkup(createElement(SeverityCounts, { counts: { HIGH: 3 }, href: (severity) => `/o/acme/findings?severity=${severity}` }));
    expect([...html.matchAll(/>(Critical|High|Medium|Low)</g)].map((m) => m[1])).toEqual(['Critical', 'High', 'Medium', 'Low']);
    expect(html).toContain('<a class="font-semibold tabular-nums hover:underline" href="/o/acme/findings?severity=HIGH">3</a>');
    expect(html).toContain('href="/o/acme/findings?severity=LOW">0</a>');
  });
});
