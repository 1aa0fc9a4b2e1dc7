import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SIG_FLAGS, SUBFILTER_ADOBE_PKCS7_DETACHED } from '@signpdf/utils';
import type { Doc } from './pdf-layout';

/** Room for the CMS signature (DER bytes; written as hex): a 4096-bit key with a three-certificate chain fits. */
export const SIGNATURE_BYTES = 16_384;

export type SignaturePlaceholder = {
  /** Who signs: the signing certificate's subject, shown by PDF readers beside the signature. */
  name: string;
  reason: string;
  location: string;
  contactInfo: string;
  signingTime: Date;
};

/** The few pdfkit internals a signature field needs (public in pdfkit's source, absent from @types/pdfkit). */
type PdfKitRef = { data: Record<string, unknown>; end(): void };
type PdfKitInternals = {
  ref(data: Record<string, unknown>): PdfKitRef;
  initForm(): void;
  _acroform?: unknown;
  _root: { data: { AcroForm?: PdfKitRef & { data: { Fields: PdfKitRef[]; DR?: unknown } } } };
  page: { dictionary: PdfKitRef; annotations: PdfKitRef[] };
};

/**
 * Adds an invisible signature field to the current page with a placeholder the signer fills in after rendering
 * (@signpdf/signpdf computes the byte range and writes the CMS signature into /Contents). This is what
 * @signpdf/placeholder-pdfkit does; that package declares a peer range of pdfkit ^0.11 and cannot be installed beside
 * pdfkit 0.20, so its ~30 lines are here, with the same dictionary: /ByteRange before /Contents, SigFlags 3.
 */
export function addSignaturePlaceholder(doc: Doc, placeholder: SignaturePlaceholder): void {
  const pdf = doc as unknown as PdfKitInternals;
  const signature = pdf.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    ByteRange: [0, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER],
    Contents: new Uint8Array(SIGNATURE_BYTES),
    Reason: new String(placeholder.reason),
    M: placeholder.signingTime,
    ContactInfo: new String(placeholder.contactInfo),
    Name: new String(placeholder.name),
    Location: new String(placeholder.location),
    Prop_Build: { Filter: { Name: 'Adobe.PPKLite' }, App: { Name: 'Bulwark' } },
  });
  const widget = pdf.ref({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    V: signature,
    T: new String('Bulwark report signature'),
    F: 4, // print flag; a zero-size rectangle keeps the field invisible
    P: pdf.page.dictionary,
  });
  pdf.page.annotations.push(widget);
  // pdfkit's own form: it writes the AcroForm dictionary when the document ends (needs a current font, set by then).
  if (!pdf._acroform) pdf.initForm();
  const form = pdf._root.data.AcroForm;
  if (!form) throw new Error('pdfkit did not create the AcroForm');
  form.data = { Type: 'AcroForm', SigFlags: SIG_FLAGS.SIGNATURES_EXIST | SIG_FLAGS.APPEND_ONLY, Fields: [...form.data.Fields, widget], DR: form.data.DR };
  signature.end();
  widget.end();
}
