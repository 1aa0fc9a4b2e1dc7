'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { acceptInvitationAction } from './actions';

export function AcceptInvitationButton({ token, organizationName }: { token: string; organizationName: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-2">
      <button type="button" disabled={pending} className={buttonStyles.primary}
        onClick={() => startTransition(async () => {
          setError(null);
          const result = await acceptInvitationAction(token);
          if (result.ok) router.push(`/o/${result.data.organizationSlug}`);
          else setError(result.error.message);
        })}>
        {pending ? 'Joining…' : `Accept and join ${organizationName}`}
      </button>
      {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
    </div>
  );
}
