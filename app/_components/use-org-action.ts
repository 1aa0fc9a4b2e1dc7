'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionError, ActionResult } from '@/lib/web/action';

/**
 * `refresh: false` keeps the page's server data as it is until the caller refreshes: for a value shown only once
 * (a secret) in a component the refreshed page would no longer render.
 */
type Options<T> = { success?: string | ((data: T) => React.ReactNode); onSuccess?: (data: T) => void; refresh?: boolean };

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
      const { success: message, onSuccess, refresh = true } = options;
      setSuccess(typeof message === 'function' ? message(result.data) : (message ?? null));
      onSuccess?.(result.data);
      if (refresh) router.refresh();
    });
  }
  return { run, pending, error, success, clear: () => { setError(null); setSuccess(null); } };
}
