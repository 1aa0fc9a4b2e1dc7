'use client';
import { useEffect } from 'react';

/** Sets the tab's title once mounted: for pages whose metadata title can be the wrong one (a 404 inside a page). */
export function DocumentTitle({ title }: { title: string }) {
  useEffect(() => { document.title = title; }, [title]);
  return null;
}
