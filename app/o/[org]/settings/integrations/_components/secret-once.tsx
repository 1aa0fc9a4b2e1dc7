'use client';
import { buttonStyles } from '@/app/_components/button-styles';
import { CopyField } from '@/app/_components/copy-field';

/** A signing secret, shown once (at creation and after a rotation), with how to use it. */
export function SecretOnce({ heading, secret, onDone }: { heading: string; secret: string; onDone: () => void }) {
  return (
    <div className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50 p-3">
      <p role="status" className="font-medium text-emerald-900">{heading}</p>
      <p className="text-sm text-slate-800">The signing secret is shown <strong>only once</strong>: copy it now into the receiver. Bulwark signs every delivery with it (<code>webhook-signature</code> header, Standard Webhooks).</p>
      <CopyField label="Signing secret" value={secret} />
      <button type="button" className={buttonStyles.secondary} onClick={onDone}>I have copied it</button>
    </div>
  );
}
