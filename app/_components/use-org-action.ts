'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionError, ActionResult } from '@/lib/web/action';

type Options<T> = { success?: string | ((data: T) => React.ReactNode); onSuccess?: (data: T) => void };

/**
 * Runs a server action in a transition: keeps its error (or a success message) for display and refreshes the
 * page's server data on success, so what the user sees is what the database now holds. The one hook every form
 * and action button uses: `run(() => someAction(org, input), { success: 'Saved.', onSuccess: (data) => … })`.
 */
export function useOrgAction() {
  const router = useRouter();
  const [error, setError] = useState<ActionError | null>(null);
  const [success, setSuccess] = useState<React.ReactNode>(null);
  const [pending, startTransition] = useTransition();
  function run<T>(work: () => Promise<ActionResult<T>>, options: Options<T> = {}): void {
    startTransition(async () => {
      setError(null);
      setSuccess(null);
      const result = await work();
      if (!result.ok) {
        setError(result.error);
        return;
      }
      const { success: message, onSuccess } = options;
      setSuccess(typeof message === 'function' ? message(result.data) : (message ?? null));
      onSuccess?.(result.data);
      router.refresh();
    });
  }
  return { run, pending, error, success, clear: () => { setError(null); setSuccess(null); } };
}
