import type { ActionError } from '@/lib/web/action';

export const inputStyles = 'w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm aria-invalid:border-red-500';
export const labelStyles = 'text-sm font-medium text-slate-800';

/** The first issue whose path is `path` or below it (`dueDays` matches `dueDays.CRITICAL`). */
export function fieldIssue(error: ActionError | null, path: string): string | undefined {
  return error?.issues?.find((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`))?.message;
}

/** An action's error, announced to screen readers; each issue names its field via `describe`. */
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

/** A field's own error line, referenced by the input's aria-describedby. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? <p id={id} className="text-xs text-red-700">{message}</p> : null;
}
