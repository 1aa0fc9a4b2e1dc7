'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionError, ActionResult } from '@/lib/web/action';

/** Runs a server action in a transition, keeps its error for display, and refreshes the page's data on success. */
export function useActionRunner() {
  const router = useRouter();
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();
  function run<T>(work: () => Promise<ActionResult<T>>, onSuccess?: (data: T) => void): void {
    startTransition(async () => {
      setError(null);
      const result = await work();
      if (!result.ok) {
        setError(result.error);
        return;
      }
      onSuccess?.(result.data);
      router.refresh();
    });
  }
  return { run, pending, error };
}
