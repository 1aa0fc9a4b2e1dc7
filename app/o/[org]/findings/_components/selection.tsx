'use client';
import { createContext, useContext, useMemo, useState } from 'react';

type Selection = { ids: readonly string[]; selected: ReadonlySet<string>; toggle: (id: string) => void; setAll: (on: boolean) => void; clear: () => void };

const SelectionContext = createContext<Selection | null>(null);

export function useSelection(): Selection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error('useSelection outside SelectionProvider');
  return selection;
}

/**
 * Holds which findings of the current page are selected for a bulk action. The rows stay server-rendered; only
 * their checkboxes read this. The page keys it by its query, so another page starts with nothing selected.
 */
export function SelectionProvider({ ids, children }: { ids: readonly string[]; children: React.ReactNode }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const value = useMemo<Selection>(() => ({
    ids,
    selected,
    toggle: (id) => setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    }),
    setAll: (on) => setSelected(on ? new Set(ids) : new Set()),
    clear: () => setSelected(new Set()),
  }), [ids, selected]);
  return <SelectionContext.Provider value={value}>{children}</SelectionContext.Provider>;
}

export function RowCheckbox({ id, label }: { id: string; label: string }) {
  const { selected, toggle } = useSelection();
  return <input type="checkbox" aria-label={`Select ${label}`} checked={selected.has(id)} onChange={() => toggle(id)} className="size-4 rounded border-slate-300" />;
}

export function SelectAllCheckbox() {
  const { ids, selected, setAll } = useSelection();
  const all = ids.length > 0 && selected.size === ids.length;
  return (
    <input
      type="checkbox"
      aria-label="Select every finding on this page"
      checked={all}
      ref={(element) => { if (element) element.indeterminate = selected.size > 0 && !all; }}
      onChange={() => setAll(!all)}
      className="size-4 rounded border-slate-300"
    />
  );
}
