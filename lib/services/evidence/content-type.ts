import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../platform/errors';

/** The file types evidence may be, by what their bytes are (never by the name or the browser's claim). */
export const EVIDENCE_FILE_TYPES = {
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
  'image/png': { label: 'PNG image', extensions: ['png'] },
  'image/jpeg': { label: 'JPEG image', extensions: ['jpg', 'jpeg'] },
  'text/plain': { label: 'plain text', extensions: ['txt', 'text', 'log', 'md', 'csv'] },
} as const;
export type EvidenceContentType = keyof typeof EVIDENCE_FILE_TYPES;

export const ALLOWED_DESCRIPTION = 'a PDF, a PNG or JPEG image, or plain UTF-8 text';

/** Markup a browser would render or run, refused even as "text": HTML, SVG, XML (first KiB, case-insensitive). */
const MARKUP = /<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml|meta|object|embed)\b/i;

/**
 * The content type of an uploaded file from its bytes: file-type's signatures for PDF, PNG and JPEG (a PDF named
 * `.png` is a PDF); anything file-type recognises as another format is refused; bytes it does not recognise are
 * plain text only if they are valid UTF-8 without NUL or other control bytes and without HTML/SVG/XML markup.
 * Refusals are 400 with what was found and what is accepted.
 */
export async function sniffEvidenceType(bytes: Uint8Array): Promise<EvidenceContentType> {
  if (bytes.byteLength === 0) throw new AppError('invalid', 'The file is empty', [{ path: 'file', message: 'empty file' }]);
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    if (detected.mime in EVIDENCE_FILE_TYPES) return detected.mime as EvidenceContentType;
    throw refused(`its content is ${detected.mime} (.${detected.ext})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refused('its content is neither a known format nor UTF-8 text');
  }
  // Tab, line feed, carriage return and form feed are text; other control bytes mean a binary format.
  if (bytes.some(isControlByte)) throw refused('its content is binary data of an unknown format');
  if (MARKUP.test(text.slice(0, 1024))) throw refused('its content is HTML, SVG or XML markup');
  return 'text/plain';
}

/** Control bytes other than tab, line feed, form feed and carriage return. */
function isControlByte(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) || byte === 0x7f;
}

function refused(why: string): AppError {
  return new AppError('invalid', `This file type is not accepted as evidence: ${why}. Upload ${ALLOWED_DESCRIPTION}.`, [{ path: 'file', message: why }]);
}

/**
 * The name the file is stored and downloaded under: the base name only, no control or path characters, at most
 * 200 characters, ending in an extension of its real type (`policy.png` holding a PDF becomes `policy.png.pdf`).
 */
export function evidenceFileName(name: string, type: EvidenceContentType): string {
  const base = [...(name.split(/[\\/]/).pop() ?? '')].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '"<>|:*?'.includes(c) ? '_' : c)).join('').trim().slice(0, 200) || 'evidence';
  const extensions: readonly string[] = EVIDENCE_FILE_TYPES[type].extensions;
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : '';
  return extensions.includes(ext) ? base : `${base}.${extensions[0]}`;
}
