'use client';
import { useEffect, useState } from 'react';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { SelectField, fieldIssue } from '@/app/_components/field';
import { buttonStyles } from '@/app/_components/button-styles';
import { DIGEST_FREQUENCIES, DIGEST_FREQUENCY_LABELS, type DigestFrequency } from '@/lib/services/digests/frequencies';
import { setDigestAction } from './actions';

const FIELD_NAMES: Record<string, string> = { frequency: 'Digest', timeZone: 'Time zone' };

/**
 * The member's own e-mail digest: none, daily or weekly, at 08:00 in the chosen time zone. Before a first choice
 * the browser's own zone is offered (when the list knows it).
 */
export function DigestForm({ org, frequency: saved, timeZone: savedZone, timeZones }: { org: string; frequency: DigestFrequency; timeZone: string | null; timeZones: string[] }) {
  const { run, pending, error, success } = useOrgAction();
  const [frequency, setFrequency] = useState<DigestFrequency>(saved);
  const [timeZone, setTimeZone] = useState(savedZone ?? 'UTC');
  useEffect(() => {
    if (savedZone) return;
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (timeZones.includes(browserZone)) setTimeZone(browserZone);
  }, [savedZone, timeZones]);
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => setDigestAction(org, { frequency, timeZone }), {
          success: (data) => (data.frequency === 'none' ? 'Digest turned off.' : `Saved: ${DIGEST_FREQUENCY_LABELS[data.frequency]} (${data.timeZone}).`),
        });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField id="digest-frequency" label="Digest" value={frequency} error={fieldIssue(error, 'frequency')}
          onChange={(e) => setFrequency(e.target.value as DigestFrequency)}>
          {DIGEST_FREQUENCIES.map((value) => <option key={value} value={value}>{DIGEST_FREQUENCY_LABELS[value]}</option>)}
        </SelectField>
        <SelectField id="digest-time-zone" label="Time zone" value={timeZone} error={fieldIssue(error, 'timeZone')}
          onChange={(e) => setTimeZone(e.target.value)}>
          {timeZones.map((zone) => <option key={zone} value={zone}>{zone}</option>)}
        </SelectField>
      </div>
      <FormError error={error} describe={(path) => FIELD_NAMES[path] ?? path} />
      <FormSuccess message={success} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : 'Save digest'}</button>
    </form>
  );
}
