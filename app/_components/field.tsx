import type { AriaAttributes, InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import type { ActionError } from '@/lib/web/action';
import { inputStyles, labelStyles } from './form-styles';

type FrameProps = {
  /** The control's id; its hint and error are `${id}-help` and `${id}-error`, which the control is described by. */
  id: string;
  label: ReactNode;
  /** A line under the control (the format, the range, what it is for). */
  hint?: ReactNode;
  /** The field's own issue (see fieldIssue): marks the control invalid and shows under the hint. */
  error?: string;
  /** Ids of text outside the field that describes it too (a hint or an error shown under a row of fields). */
  describedBy?: string;
  /** The wrapper's classes; the control's own are `inputClassName`. */
  className?: string;
  inputClassName?: string;
};
type Own = keyof FrameProps | 'aria-describedby';

/** The first issue of an action's error whose path is `path` or below it (`dueDays` matches `dueDays.CRITICAL`). */
export function fieldIssue(error: ActionError | null, path: string): string | undefined {
  return error?.issues?.find((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`))?.message;
}

/** A field's own error line, referenced by its control's aria-describedby. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? <p id={id} className="text-xs text-red-700">{message}</p> : null;
}

function controlProps({ id, hint, error, describedBy, inputClassName = inputStyles }: FrameProps, ariaInvalid: AriaAttributes['aria-invalid']) {
  const describers = [hint ? `${id}-help` : null, error ? `${id}-error` : null, describedBy ?? null].filter((value) => value !== null);
  return {
    id,
    className: inputClassName,
    'aria-invalid': error ? true : ariaInvalid,
    'aria-describedby': describers.length > 0 ? describers.join(' ') : undefined,
  };
}

function FieldFrame({ id, label, hint, error, className = 'space-y-1', children }: FrameProps & { children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className={labelStyles}>{label}</label>
      {children}
      {hint && <p id={`${id}-help`} className="text-xs text-slate-500">{hint}</p>}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** Label, input, hint and the field's error, in the one look of every form. Other props go to the input. */
export function Field(props: FrameProps & Omit<InputHTMLAttributes<HTMLInputElement>, Own>) {
  const { id, label, hint, error, describedBy, className, inputClassName, 'aria-invalid': ariaInvalid, ...input } = props;
  const frame = { id, label, hint, error, describedBy, className, inputClassName };
  return <FieldFrame {...frame}><input {...input} {...controlProps(frame, ariaInvalid)} /></FieldFrame>;
}

/** Field with a select; its options are the children. */
export function SelectField(props: FrameProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, Own>) {
  const { id, label, hint, error, describedBy, className, inputClassName, 'aria-invalid': ariaInvalid, children, ...select } = props;
  const frame = { id, label, hint, error, describedBy, className, inputClassName };
  return <FieldFrame {...frame}><select {...select} {...controlProps(frame, ariaInvalid)}>{children}</select></FieldFrame>;
}

/** Field with a textarea. */
export function TextAreaField(props: FrameProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, Own>) {
  const { id, label, hint, error, describedBy, className, inputClassName, 'aria-invalid': ariaInvalid, ...textarea } = props;
  const frame = { id, label, hint, error, describedBy, className, inputClassName };
  return <FieldFrame {...frame}><textarea {...textarea} {...controlProps(frame, ariaInvalid)} /></FieldFrame>;
}
