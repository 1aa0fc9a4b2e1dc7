'use client';
import { useId, useState } from 'react';
import { MAX_SAVED_VIEWS, MAX_VIEW_NAME } from '@/lib/services/findings/schemas';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { compactInputStyles } from '@/app/_components/form-styles';
import { useOrgAction } from '@/app/_components/use-org-action';
import { createSavedViewAction, deleteSavedViewAction, renameSavedViewAction } from '../actions';

export type SavedViewItem = { id: string; name: string; query: string };

const chip = 'rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset';
const describe = (path: string) => (path === 'name' ? 'Name' : path);

/**
 * The signed-in user's own named lists: each opens the findings page with the query string it was saved with
 * (a plain link, like the quick views). "Save this view" names the current filters and sort.
 */
export function SavedViews({ org, base, currentQuery, views }: { org: string; base: string; currentQuery: string; views: SavedViewItem[] }) {
  const id = useId();
  const [name, setName] = useState('');
  const { run, pending, error, success } = useOrgAction();
  const full = views.length >= MAX_SAVED_VIEWS;
  return (
    <section aria-labelledby={`${id}-title`} className="mb-3 space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id={`${id}-title`} className="text-xs font-medium uppercase text-slate-500">Saved views</h2>
        {views.length === 0 && <span className="text-sm text-slate-500">None yet: filter and sort the list, then save it under a name.</span>}
        <ul className="contents">
          {views.map((view) => {
            const current = view.query === currentQuery;
            return (
              <li key={view.id} className="min-w-0">
                <a href={view.query ? `${base}?${view.query}` : base} aria-current={current ? 'page' : undefined}
                  className={`${chip} inline-block max-w-full truncate align-middle ${current ? 'bg-slate-800 text-white ring-slate-800' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}>
                  {view.name}
                </a>
              </li>
            );
          })}
        </ul>
      </div>
      <div className="flex flex-wrap items-start gap-3">
        <form className="flex min-w-0 flex-wrap items-end gap-2" onSubmit={(event) => {
          event.preventDefault();
          run(() => createSavedViewAction(org, { name, query: currentQuery }), { success: (data) => `Saved as “${data.name}”.`, onSuccess: () => setName('') });
        }}>
          <div className="min-w-0">
            <label htmlFor={`${id}-name`} className="mb-1 block text-xs font-medium text-slate-700">Save this view as</label>
            <input id={`${id}-name`} required maxLength={MAX_VIEW_NAME} value={name} onChange={(e) => setName(e.target.value)} disabled={full}
              placeholder="Critical in production" className={`${compactInputStyles} w-56 max-w-full`} />
          </div>
          <button type="submit" disabled={pending || full || !name.trim()} className={buttonStyles.secondary}>{pending ? 'Saving…' : 'Save view'}</button>
          {full && <p className="w-full text-xs text-slate-600">You have {MAX_SAVED_VIEWS} saved views, the most there can be: delete one to save another.</p>}
        </form>
        {views.length > 0 && (
          <details className="min-w-0 text-sm">
            <summary className="cursor-pointer py-1.5 font-medium text-brand-700">Manage saved views</summary>
            <ul className="mt-2 space-y-2">
              {views.map((view) => <ManageView key={view.id} org={org} view={view} />)}
            </ul>
          </details>
        )}
      </div>
      <FormError error={error} describe={describe} />
      <FormSuccess message={success} />
    </section>
  );
}

function ManageView({ org, view }: { org: string; view: SavedViewItem }) {
  const id = useId();
  const [name, setName] = useState(view.name);
  const { run, pending, error, success } = useOrgAction();
  return (
    <li className="space-y-1">
      <form className="flex flex-wrap items-center gap-2" onSubmit={(event) => {
        event.preventDefault();
        run(() => renameSavedViewAction(org, { viewId: view.id, name }), { success: (data) => `Renamed to “${data.name}”.` });
      }}>
        <label htmlFor={`${id}-name`} className="sr-only">New name for {view.name}</label>
        <input id={`${id}-name`} required maxLength={MAX_VIEW_NAME} value={name} onChange={(e) => setName(e.target.value)} className={`${compactInputStyles} w-56 max-w-full`} />
        <button type="submit" disabled={pending || !name.trim() || name.trim() === view.name} className={buttonStyles.secondary}>
          Rename<span className="sr-only"> {view.name}</span>
        </button>
        <button type="button" disabled={pending} className={buttonStyles.secondary}
          onClick={() => run(() => deleteSavedViewAction(org, { viewId: view.id }), { success: `Deleted “${view.name}”.` })}>
          Delete<span className="sr-only"> {view.name}</span>
        </button>
      </form>
      <FormError error={error} describe={describe} />
      <FormSuccess message={success} />
    </li>
  );
}
