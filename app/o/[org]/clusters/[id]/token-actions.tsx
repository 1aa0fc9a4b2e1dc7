'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { revokeAgentTokenAction, rotateAgentTokenAction } from '../actions';
import { CopyField } from '@/app/_components/copy-field';
import { buttonStyles } from '@/app/_components/button-styles';

type Token = { id: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

export function TokenActions({ org, clusterId, tokens, canManage }: { org: string; clusterId: string; tokens: Token[]; canManage: boolean }) {
  const router = useRouter();
  const [fresh, setFresh] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = (work: () => Promise<{ ok: boolean; error?: { message: string } }>) => startTransition(async () => {
    setError(null);
    const result = await work();
    if (!result.ok) setError(result.error?.message ?? 'Failed');
    router.refresh();
  });
  return (
    <div className="space-y-3">
      <ul className="divide-y divide-slate-100 text-sm">
        {tokens.map((token) => (
          <li key={token.id} className="flex items-center justify-between gap-2 py-2">
            <span><code>{token.prefix}…</code> <span className="text-xs text-slate-500">created {token.createdAt.slice(0, 10)}{token.lastUsedAt ? `, last used ${token.lastUsedAt.slice(0, 16).replace('T', ' ')}` : ', never used'}</span></span>
            {token.revokedAt ? <span className="text-xs text-slate-500">revoked</span> : canManage && (
              <button type="button" disabled={pending} className="text-xs font-medium text-red-700 hover:underline" onClick={() => run(() => revokeAgentTokenAction(org, { tokenId: token.id }))}>Revoke</button>
            )}
          </li>
        ))}
      </ul>
      {fresh && <CopyField label="New agent token (shown once)" value={fresh} />}
      {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
      {canManage && (
        <button type="button" disabled={pending} className={buttonStyles.secondary} onClick={() => startTransition(async () => {
          const result = await rotateAgentTokenAction(org, { clusterId });
          if (result.ok) setFresh(result.data.token); else setError(result.error.message);
          router.refresh();
        })}>Rotate token (revokes the others)</button>
      )}
    </div>
  );
}
