'use client';
import Link from 'next/link';
import { useState, useTransition } from 'react';
import { createClusterAction } from '../actions';
import { installInstructions } from '@/lib/services/clusters/install-instructions';
import { CopyField } from '@/app/_components/copy-field';
import { buttonStyles } from '@/app/_components/button-styles';

type Created = { clusterId: string; name: string; token: string };

export function AddClusterForm({ org, appUrl }: { org: string; appUrl: string }) {
  const [name, setName] = useState('');
  const [environment, setEnvironment] = useState<'' | 'PRODUCTION' | 'STAGING' | 'DEVELOPMENT'>('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [pending, startTransition] = useTransition();

  if (created) {
    const steps = installInstructions(appUrl, created.token);
    return (
      <div className="max-w-3xl space-y-5 rounded-xl border border-emerald-200 bg-white p-5">
        <p role="status" className="font-medium text-emerald-800">Cluster “{created.name}” added.</p>
        <p className="text-sm text-slate-700">This agent token is shown <strong>only once</strong>. Copy it now; Bulwark keeps only its hash.</p>
        <CopyField label="Agent token" value={created.token} />
        <CopyField label="Install the agent in the cluster" value={steps.inCluster} multiline />
        <CopyField label="Or push a snapshot of manifests offline (air-gapped, CI)" value={steps.offline} multiline />
        <p className="text-sm text-slate-700">No checkout of Bulwark at hand? The cluster&apos;s page has <strong>Install the agent</strong>: a single-use link for <code>kubectl apply -f</code>, or the YAML to download.</p>
        <Link href={`/o/${org}/clusters/${created.clusterId}`} className={buttonStyles.primary}>Go to the cluster</Link>
      </div>
    );
  }

  return (
    <form
      className="max-w-md space-y-4 rounded-xl border border-slate-200 bg-white p-5"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        startTransition(async () => {
          const result = await createClusterAction(org, { name, ...(environment ? { environment } : {}) });
          if (result.ok) setCreated(result.data);
          else setError(result.error.issues?.[0]?.message ? `${result.error.message}: ${result.error.issues[0].message}` : result.error.message);
        });
      }}
    >
      <div className="space-y-1">
        <label htmlFor="cluster-name" className="text-sm font-medium">Cluster name</label>
        <input
          id="cluster-name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="prod-eu-west-1"
          aria-describedby="cluster-name-help"
          className="w-full rounded-md border border-slate-300 px-3 py-2"
        />
        <p id="cluster-name-help" className="text-xs text-slate-500">Lowercase letters, digits, dots and dashes.</p>
      </div>
      <div className="space-y-1">
        <label htmlFor="cluster-environment" className="text-sm font-medium">Environment</label>
        <select id="cluster-environment" value={environment} onChange={(event) => setEnvironment(event.target.value as typeof environment)} className="w-full rounded-md border border-slate-300 px-3 py-2">
          <option value="">Not set</option>
          <option value="PRODUCTION">Production</option>
          <option value="STAGING">Staging</option>
          <option value="DEVELOPMENT">Development</option>
        </select>
      </div>
      {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Adding…' : 'Add cluster'}</button>
    </form>
  );
}
