import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

const CONTROL =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-indigo-500 focus:outline-2 focus:outline-indigo-500';

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string;
}

function Described({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
          {error}
        </p>
      )}
    </>
  );
}

const describedBy = (id: string, hint?: ReactNode, error?: string) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** Label, control and the hint or error under it, tied together by ids for screen readers. */
function FieldFrame({
  label,
  hint,
  error,
  className,
  control,
}: FieldProps & {
  className: string;
  control: (ids: { id: string; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {control({ id, 'aria-describedby': describedBy(id, hint, error) })}
      <Described id={id} hint={hint} error={error} />
    </div>
  );
}

export function TextField({
  label,
  hint,
  error,
  className = '',
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      error={error}
      className={className}
      control={(ids) => (
        <input className={CONTROL} aria-invalid={error ? true : undefined} {...ids} {...input} />
      )}
    />
  );
}

export function TextArea({
  label,
  hint,
  className = '',
  ...input
}: FieldProps & InputHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      className={className}
      control={(ids) => <textarea rows={3} className={CONTROL} {...ids} {...input} />}
    />
  );
}

export function SelectField({
  label,
  hint,
  options,
  className = '',
  ...select
}: FieldProps &
  SelectHTMLAttributes<HTMLSelectElement> & {
    options: { value: string; label: string }[];
  }) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      className={className}
      control={(ids) => (
        <select className={CONTROL} {...ids} {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
