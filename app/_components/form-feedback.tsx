import type { ActionError } from '@/lib/web/action';

/** An action's error, announced to screen readers, with each field issue on its own line. */
export function FormError({ error, describe = (path) => path }: { error: ActionError | null; describe?: (path: string) => string }) {
  if (!error) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      <p>{error.message}</p>
      {error.issues && error.issues.length > 0 && (
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {error.issues.map((issue) => <li key={`${issue.path}:${issue.message}`}>{describe(issue.path)}: {issue.message}</li>)}
        </ul>
      )}
    </div>
  );
}

/** What an action did, announced politely. */
export function FormSuccess({ message }: { message: React.ReactNode }) {
  if (!message) return null;
  return <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{message}</p>;
}
