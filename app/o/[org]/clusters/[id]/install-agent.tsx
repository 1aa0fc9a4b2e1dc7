'use client';
import { useState } from 'react';
import { createInstallLinkAction } from '../actions';
import { CopyField } from '@/app/_components/copy-field';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';

type Props = { org: string; clusterId: string; canMint: boolean; archived: boolean; downloadHref: string; ttlMinutes: number };

/** "Install the agent": a single-use `kubectl apply -f` link for admins, and the manifests without a token for anyone. */
export function InstallAgent({ org, clusterId, canMint, archived, downloadHref, ttlMinutes }: Props) {
  const { run, pending, error } = useOrgAction();
  const [link, setLink] = useState<{ command: string; expiresAt: string } | null>(null);
  if (archived) return <p className="text-sm text-slate-600">This cluster is archived: restore it before installing an agent.</p>;
  return (
    <div className="space-y-3 text-sm">
      {canMint && (
        <>
          <p className="text-slate-700">
            Run one command with kubectl against the cluster. The link serves the agent&apos;s namespace, least-privilege
            RBAC, Deployment and a Secret with a <strong>new agent token</strong>.
          </p>
          {link ? (
            <>
              <CopyField label="Install command (shown once)" value={link.command} />
              <p role="note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900" data-testid="install-link-warning">
                This link works <strong>once</strong> and expires at <time dateTime={link.expiresAt}>{new Date(link.expiresAt).toLocaleTimeString()}</time> ({ttlMinutes} minutes).
                Until then, anyone who has it can connect an agent to this cluster: do not paste it into chats or tickets.
              </p>
            </>
          ) : (
            <button type="button" disabled={pending} className={buttonStyles.primary}
              onClick={() => run(() => createInstallLinkAction(org, { clusterId }), { onSuccess: setLink })}>
              Create install link ({ttlMinutes} minutes, single use)
            </button>
          )}
          <FormError error={error} />
        </>
      )}
      <p className="text-slate-600">
        Or <a className={buttonStyles.link} href={downloadHref} download>download the YAML</a> (no token inside): create the
        Secret <code>bulwark-agent-token</code> in <code>bulwark-system</code> with a token from &ldquo;Agent tokens&rdquo;, then <code>kubectl apply -f</code> the file.
      </p>
    </div>
  );
}
