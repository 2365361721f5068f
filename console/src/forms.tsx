import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { asProblem } from './load.ts';
import { navigate } from './router.ts';
import type { Problem } from './types.ts';
import { Checkbox, Loading, ScreenHeading, TextField } from './ui.tsx';

/** A form's save: one request at a time, its problem kept for the form, and back to `list` when it succeeds. */
export function useSave(list: string) {
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const save = async (request: () => Promise<string>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      navigate(list, await request());
    } catch (error) {
      setProblem(asProblem(error));
      setBusy(false);
    }
  };
  return { problem, busy, save };
}

/** A form screen: its heading (none when a page around it has one), the form, and what it shows below. */
export function FormScreen(props: {
  title: string | undefined;
  onSubmit: (event: Event) => void;
  after?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <section>
      {props.title ? <ScreenHeading>{props.title}</ScreenHeading> : null}
      <form onSubmit={props.onSubmit} noValidate>
        {props.children}
      </form>
      {props.after}
    </section>
  );
}

/** A form screen before its data has loaded (or when loading failed). */
export function LoadingScreen({
  title,
  problem,
}: {
  title: string | undefined;
  problem: Problem | undefined;
}) {
  return (
    <section>
      {title ? <ScreenHeading>{title}</ScreenHeading> : null}
      <Loading problem={problem} />
    </section>
  );
}

/**
 * A write-only secret: never shown, empty keeps the stored one, and a box to remove it when one is stored.
 */
export function SecretField(props: {
  id: string;
  label: string;
  what: string;
  stored: boolean;
  required?: boolean;
  value: string;
  onValue: (value: string) => void;
  clear: boolean;
  onClear: (clear: boolean) => void;
  errors: string[] | undefined;
  hint?: ComponentChildren;
}) {
  return (
    <div>
      <TextField
        id={props.id}
        label={props.label}
        type="password"
        autoComplete="new-password"
        required={props.required}
        value={props.value}
        onValue={props.onValue}
        errors={props.errors}
        hint={props.stored ? `A ${props.what} is stored; leave this empty to keep it.` : props.hint}
      />
      {props.stored ? (
        <Checkbox
          id={`${props.id.replace(/-password$/, '')}-clearPassword`}
          label={`Remove the stored ${props.what}`}
          checked={props.clear}
          onChecked={props.onClear}
        />
      ) : null}
    </div>
  );
}

/** A fieldset of numeric settings, one field a key, each with its error path `<path>.<key>`. */
export function NumericFields<K extends string>(props: {
  legend: string;
  idPrefix: string;
  path: string;
  labels: Record<K, string>;
  values: Record<K, string>;
  onValues: (values: Record<K, string>) => void;
  byField: Record<string, string[] | undefined>;
}) {
  const keys = Object.keys(props.labels) as K[];
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {keys.map((key) => (
        <TextField
          key={key}
          id={`${props.idPrefix}-${key}`}
          label={props.labels[key]}
          inputMode="numeric"
          value={props.values[key]}
          onValue={(value) => props.onValues({ ...props.values, [key]: value })}
          errors={props.byField[`${props.path}.${key}`]}
        />
      ))}
    </fieldset>
  );
}
