'use client';
import { useState } from 'react';
import { createOrgFrameworkAction } from '../custom/actions';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { Field, TextAreaField, fieldIssue } from '@/app/_components/field';
import { buttonStyles } from '@/app/_components/button-styles';

/** Key, name, and one requirement per line: "CODE Title". */
export function CreateFrameworkForm({ org }: { org: string }) {
  const { run, pending, error, success } = useOrgAction();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [lines, setLines] = useState('');
  const requirements = () => lines.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const space = line.indexOf(' ');
    return space === -1 ? { code: line, title: line } : { code: line.slice(0, space), title: line.slice(space + 1).trim() };
  });
  return (
    <form className="mt-3 grid gap-3 md:grid-cols-2" onSubmit={(e) => { e.preventDefault(); run(() => createOrgFrameworkAction(org, { key, name, requirements: requirements() }), { success: 'Framework created.' }); }}>
      <Field id="fw-key" label="Key" value={key} onChange={(e) => setKey(e.target.value)} required hint="e.g. acme-platform" error={fieldIssue(error, 'key')} />
      <Field id="fw-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} required error={fieldIssue(error, 'name')} />
      <TextAreaField id="fw-requirements" className="space-y-1 md:col-span-2" label="Requirements" value={lines} onChange={(e) => setLines(e.target.value)} rows={5} required hint="One per line: the code, a space, the title (AP-1 Every exposure is reviewed)." error={fieldIssue(error, 'requirements')} />
      <div className="space-y-2 md:col-span-2">
        <FormError error={error} />
        <FormSuccess message={success} />
        <button type="submit" className={buttonStyles.primary} disabled={pending}>Create framework</button>
      </div>
    </form>
  );
}
