import { TextArea, TextField } from '../ui.tsx';
import { MessageInfo } from './message-info.tsx';

/** One language of `smsAuth.messageTemplates` as the form holds it; `key` keeps a row's identity while its tag is typed. */
export interface TemplateRow {
  key: number;
  tag: string;
  text: string;
}

let nextKey = 0;
export const templateRow = (tag = '', text = ''): TemplateRow => ({ key: nextKey++, tag, text });

export const templatePath = (tag: string) => `smsAuth.messageTemplates.${tag}`;

/**
 * The store's text message per language: one row per language (**Language**, **Text message (<tag>)**) with
 * the live encoding and segment count of each, an **Add language** button and a remove button per row.
 */
export function MessageTemplates(props: {
  rows: TemplateRow[];
  onRows: (rows: TemplateRow[]) => void;
  codeLength: string;
  byField: Record<string, string[]>;
}) {
  const { rows, onRows } = props;
  const change = (key: number, patch: Partial<TemplateRow>) =>
    onRows(rows.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  return (
    <fieldset>
      <legend>Text message per language</legend>
      <p class="hint">
        A send's locale picks the most specific language listed (de-AT uses de), else the text message above.
      </p>
      {rows.map((row) => {
        const name = row.tag.trim() || 'new language';
        return (
          <div key={row.key} class="template-row">
            <TextField
              id={`store-template-tag-${row.key}`}
              label="Language"
              value={row.tag}
              onValue={(tag) => change(row.key, { tag })}
              hint="A language tag such as de, pt-BR or zh-Hant"
            />
            <TextArea
              id={`store-template-text-${row.key}`}
              label={`Text message (${name})`}
              value={row.text}
              onValue={(text) => change(row.key, { text })}
              errors={props.byField[templatePath(row.tag.trim())]}
              hint={<MessageInfo template={row.text} codeLength={props.codeLength} />}
            />
            <button
              type="button"
              aria-label={`Remove language ${name}`}
              onClick={() => onRows(rows.filter((other) => other.key !== row.key))}
            >
              Remove
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => onRows([...rows, templateRow()])}>
        Add language
      </button>
    </fieldset>
  );
}

/** The rows as the API takes them; a row without a tag is not sent. */
export function templatesOf(rows: readonly TemplateRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.tag.trim()).map((row) => [row.tag.trim(), row.text]));
}

/** A merge patch of the map: changed and new languages, and null for each language removed. */
export function templatesPatch(
  rows: readonly TemplateRow[],
  stored: Readonly<Record<string, string>>,
): Record<string, string | null> | undefined {
  const next = templatesOf(rows);
  const patch: Record<string, string | null> = {};
  for (const [tag, text] of Object.entries(next)) if (stored[tag] !== text) patch[tag] = text;
  for (const tag of Object.keys(stored)) if (!(tag in next)) patch[tag] = null;
  return Object.keys(patch).length ? patch : undefined;
}
