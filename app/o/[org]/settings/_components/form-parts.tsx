import type { ActionError } from '@/lib/web/action';

// One look for every form: the shared styles and error block, plus the settings forms' per-field helpers.
export { inputStyles, labelStyles } from '@/app/_components/form-styles';

/** The first issue whose path is `path` or below it (`dueDays` matches `dueDays.CRITICAL`). */
export function fieldIssue(error: ActionError | null, path: string): string | undefined {
  return error?.issues?.find((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`))?.message;
}

export { FormError } from '@/app/_components/form-feedback';

/** A field's own error line, referenced by the input's aria-describedby. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? <p id={id} className="text-xs text-red-700">{message}</p> : null;
}
