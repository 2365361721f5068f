import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { TextField } from './ui.tsx';

/**
 * A secret the API shows once: a read-only field and a Copy button. It lives only in the state of the
 * view that received it (never in storage, the address or a log), so leaving that view forgets it.
 */
export function SecretOnce({
  id,
  label,
  value,
  children,
}: {
  id: string;
  /** "API key" for API and application keys, "Secret" for integrations, webhooks and rotations. */
  label: 'API key' | 'Secret';
  value: string;
  children: ComponentChildren;
}) {
  const [copied, setCopied] = useState<boolean>();
  return (
    <div class="new-key">
      {children}
      <p>Copy it now: it is shown only once.</p>
      <div class="copy-row">
        <TextField
          id={id}
          label={label}
          readOnly
          autoComplete="off"
          value={value}
          onValue={() => undefined}
        />
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          Copy
        </button>
      </div>
      <p role="status" class="hint">
        {copied === true
          ? 'Copied.'
          : copied === false
            ? 'Could not copy: select the field and copy it.'
            : ''}
      </p>
    </div>
  );
}
