'use server';
import { redirect } from 'next/navigation';
import { unsubscribe } from '@/lib/services/mail/unsubscribe';

/** Public: the signed token in the form is the only authority; a bad one records nothing. */
export async function unsubscribeAction(form: FormData): Promise<void> {
  const token = String(form.get('t') ?? '').slice(0, 2_000);
  const result = await unsubscribe(token);
  redirect(`/mail/unsubscribe?t=${encodeURIComponent(token)}${result.ok ? '&done=1' : ''}`);
}
