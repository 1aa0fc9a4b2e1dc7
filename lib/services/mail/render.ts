import escapeHtml from 'escape-html';
import type { MailTemplate } from './types';

/** A mail's two bodies and the link the List-Unsubscribe header names (absent for transactional mail). */
export type RenderedMail = { html: string; text: string };

/** Only http(s) links go into a mail: a `javascript:` or `data:` URL would be a way to attack the reader. */
export function assertMailLink(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`mail links must be http(s), not ${parsed.protocol}`);
  return parsed.toString();
}

/**
 * The one template set: heading, paragraphs, optional titled lists of linked items, an optional button, an optional footnote and the footer (the
 * unsubscribe link of the category, when it has one). Written by hand (a few lines; a templating engine would add
 * nothing), and every interpolated value goes through escape-html, express's maintained escaper for text and
 * quoted attribute values (& < > " '), so a finding's resource name or an organization's name cannot inject markup.
 * Links are checked to be http(s) first.
 */
export function renderMail(template: MailTemplate, footer: { unsubscribeUrl?: string; categoryLabel: string }): RenderedMail {
  const e = escapeHtml;
  const action = template.action ? { label: template.action.label, url: assertMailLink(template.action.url) } : undefined;
  const unsubscribe = footer.unsubscribeUrl ? assertMailLink(footer.unsubscribeUrl) : undefined;
  const sections = (template.sections ?? []).map((section) => ({
    ...section, items: section.items.map((item) => ({ text: item.text, url: item.url === undefined ? undefined : assertMailLink(item.url) })),
  }));
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(template.heading)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f4f4f5;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#18181b">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">',
    `<h1 style="font-size:20px;margin:0 0 16px">${e(template.heading)}</h1>`,
    ...template.paragraphs.map((p) => `<p style="font-size:15px;line-height:1.5;margin:0 0 12px">${e(p)}</p>`),
    ...sections.flatMap((section) => [
      `<h2 style="font-size:16px;margin:20px 0 8px">${e(section.title)}</h2>`,
      '<ul style="font-size:14px;line-height:1.5;margin:0 0 12px;padding-left:20px">',
      ...section.items.map((item) => `<li>${item.url ? `<a href="${e(item.url)}" style="color:#1d4ed8">${e(item.text)}</a>` : e(item.text)}</li>`),
      '</ul>',
      section.more ? `<p style="font-size:13px;color:#52525b;margin:0 0 12px">${e(section.more)}</p>` : '',
    ]),
    action
      ? `<p style="margin:20px 0"><a href="${e(action.url)}" style="display:inline-block;background:#18181b;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;font-weight:600">${e(action.label)}</a></p>`
        + `<p style="font-size:13px;color:#52525b;word-break:break-all">Or open this link: ${e(action.url)}</p>`
      : '',
    template.footnote ? `<p style="font-size:13px;color:#52525b">${e(template.footnote)}</p>` : '',
    '</div>',
    `<p style="max-width:560px;margin:12px auto 0;font-size:12px;color:#71717a">Sent by Bulwark about ${e(footer.categoryLabel)}.`
      + (unsubscribe ? ` <a href="${e(unsubscribe)}" style="color:#71717a">Unsubscribe from these e-mails</a>.` : '') + '</p>',
    '</body></html>',
  ].join('\n');
  const text = [
    template.heading,
    '',
    ...template.paragraphs.flatMap((p) => [p, '']),
    ...sections.flatMap((section) => [
      section.title,
      ...section.items.map((item) => `- ${item.text}${item.url ? `: ${item.url}` : ''}`),
      ...(section.more ? [section.more] : []),
      '',
    ]),
    ...(action ? [`${action.label}: ${action.url}`, ''] : []),
    ...(template.footnote ? [template.footnote, ''] : []),
    '--',
    `Sent by Bulwark about ${footer.categoryLabel}.`,
    ...(unsubscribe ? [`Unsubscribe from these e-mails: ${unsubscribe}`] : []),
    '',
  ].join('\n');
  return { html, text };
}
