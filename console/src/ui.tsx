import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { BASE, linkClick } from './router.ts';
import type { FieldError, Problem } from './types.ts';

interface FieldProps {
  id: string;
  label: string;
  errors?: string[] | undefined;
  hint?: ComponentChildren;
  required?: boolean;
}

function describedBy(id: string, hint: unknown, errors: unknown[] | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldNotes({ id, hint, errors }: Pick<FieldProps, 'id' | 'hint' | 'errors'>) {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p class="field-error" id={`${id}-error`}>
          {errors.join('; ')}
        </p>
      ) : null}
    </>
  );
}

function Label({ id, label, required }: Pick<FieldProps, 'id' | 'label' | 'required'>) {
  return (
    <>
      <label for={id}>{label}</label>
      {/* Outside the label, so that the accessible name is the seed's word alone; aria-required says it. */}
      {required ? (
        <span class="required" aria-hidden="true">
          {' '}
          *
        </span>
      ) : null}
    </>
  );
}

/** The label, the control and its hint and errors, tied together by id. */
function Field({
  id,
  label,
  required,
  hint,
  errors,
  children,
}: FieldProps & { children: ComponentChildren }) {
  return (
    <div class="field">
      <Label id={id} label={label} required={required} />
      {children}
      <FieldNotes id={id} hint={hint} errors={errors} />
    </div>
  );
}

/** What every control carries: its id, and whether it is required, invalid and described. */
function controlAttributes({ id, required, hint, errors }: FieldProps) {
  return {
    id,
    'aria-required': required ? ('true' as const) : undefined,
    'aria-invalid': errors?.length ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, hint, errors),
  };
}

interface ValueProps {
  value: string;
  onValue: (value: string) => void;
}

type InputProps = FieldProps &
  ValueProps & {
    type?: 'text' | 'password' | 'tel' | 'url';
    inputMode?: 'text' | 'tel' | 'numeric';
    autoComplete?: string;
    autofocus?: boolean;
    readOnly?: boolean;
  };

export function TextField({ value, onValue, type = 'text', ...props }: InputProps) {
  return (
    <Field {...props}>
      <input
        {...controlAttributes(props)}
        // Preact types <input> per `type` literal; every type listed in InputProps takes these attributes.
        type={type as 'text'}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete}
        autofocus={props.autofocus}
        readOnly={props.readOnly}
        value={value}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
    </Field>
  );
}

export function TextArea({
  value,
  onValue,
  rows = 3,
  ...props
}: FieldProps & ValueProps & { rows?: number }) {
  return (
    <Field {...props}>
      <textarea
        {...controlAttributes(props)}
        rows={rows}
        value={value}
        onInput={(event) => onValue(event.currentTarget.value)}
      />
    </Field>
  );
}

export function SelectField({
  value,
  onValue,
  children,
  ...props
}: FieldProps & ValueProps & { children: ComponentChildren }) {
  return (
    <Field {...props}>
      <select
        {...controlAttributes(props)}
        value={value}
        onChange={(event) => onValue(event.currentTarget.value)}
      >
        {children}
      </select>
    </Field>
  );
}

export function Checkbox({
  id,
  label,
  errors,
  hint,
  checked,
  onChecked,
}: Omit<FieldProps, 'required'> & { checked: boolean; onChecked: (checked: boolean) => void }) {
  return (
    <div class="field checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-invalid={errors?.length ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, errors)}
        onChange={(event) => onChecked(event.currentTarget.checked)}
      />
      <label for={id}>{label}</label>
      <FieldNotes id={id} hint={hint} errors={errors} />
    </div>
  );
}

/** A problem answer: its title and detail, the field errors no field on screen shows, and any extra lines. */
export function ProblemAlert({
  problem,
  rest,
  children,
}: {
  problem: Problem | undefined;
  rest?: FieldError[];
  children?: ComponentChildren;
}) {
  if (!problem) return null;
  const unplaced = rest ?? problem.errors ?? [];
  return (
    <div class="alert" role="alert">
      <p>
        <strong>{problem.title}</strong>
        {problem.detail ? ` ${problem.detail}` : ''}
      </p>
      {children}
      {unplaced.length ? (
        <ul>
          {unplaced.map((error) => (
            <li key={error.path}>
              <code>{error.path || '(body)'}</code> {error.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Notice({ message }: { message: string | undefined }) {
  return (
    <div class="notice" role="status">
      {message ?? ''}
    </div>
  );
}

/** A modal `<dialog>`: focus moves into it, Escape and Cancel close it, focus returns where it was. */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Taken at the first render, while the button that opened the dialog still has the focus.
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => {
    const dialog = ref.current;
    dialog?.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      // After the dialog has left the document, which would otherwise leave the focus on <body>.
      setTimeout(() => opener?.isConnected && opener.focus());
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog title={title} onClose={onCancel}>
      <p>{message}</p>
      <div class="actions">
        <button type="button" class="danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onCancel} autofocus>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/** A screen whose data is still loading, or failed to load (the problem is shown). */
export function Loading({ problem }: { problem: Problem | undefined }) {
  return problem ? <ProblemAlert problem={problem} /> : <p aria-busy="true">Loading…</p>;
}

/** The screen's heading, focused when the screen opens so that keyboard and screen reader users start there. */
export function ScreenHeading({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export const formatTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** A link to another screen of the console, followed without reloading the page. */
export function ScreenLink({ path, children }: { path: string; children: ComponentChildren }) {
  return (
    <a href={`${BASE}${path}`} onClick={linkClick(path)}>
      {children}
    </a>
  );
}

/** A list row's delete action: it opens the confirmation, it deletes nothing itself. */
export function DeleteButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" class="danger" onClick={onClick}>
      Delete
    </button>
  );
}

/** Asks before deleting the item a list row chose; shows nothing while none is chosen. */
export function ConfirmDelete<T>({
  item,
  title,
  message,
  busy,
  onDelete,
  onCancel,
}: {
  item: T | undefined;
  title: string;
  message: (item: T) => string;
  busy: boolean;
  onDelete: (item: T) => Promise<void>;
  onCancel: () => void;
}) {
  if (item === undefined) return null;
  return (
    <ConfirmDialog
      title={title}
      message={message(item)}
      confirmLabel="Delete"
      busy={busy}
      onConfirm={() => void onDelete(item)}
      onCancel={onCancel}
    />
  );
}
