import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainModule } from './main-module.ts';
import { format, resolveConfig } from 'prettier';
import { z } from 'zod';
import { smsMfaPropsSchema } from './props.ts';

/** Where the generated table is committed; test/cdk/props-doc.test.ts fails when it is stale. */
export const PROPS_DOC = fileURLToPath(new URL('../docs/cdk-props.md', import.meta.url));

type JsonSchema = {
  type?: string;
  items?: JsonSchema;
  enum?: unknown[];
  default?: unknown;
  /** A default worked out from other props (props.ts `.meta({ defaultText })`). */
  defaultText?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
};

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' | ');
  if (s.type === 'array') return `${typeOf(s.items ?? {})}[]`;
  if (s.type === 'integer') return 'integer';
  return s.type ?? 'string';
}

function rangeOf(s: JsonSchema): string {
  const parts: string[] = [];
  if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  // zod's .int() caps at MAX_SAFE_INTEGER: not a limit worth a line.
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) parts.push(`<= ${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) parts.push(`< ${s.exclusiveMaximum}`);
  return parts.join(', ');
}

function defaultOf(s: JsonSchema): string {
  if (s.defaultText) return s.defaultText;
  if (s.default === undefined) return 'none';
  return `\`${JSON.stringify(s.default)}\``;
}

/**
 * docs/cdk-props.md: one row per prop, from the schema that validates the props and the context,
 * formatted as the repository's prettier formats markdown (`npm run lint` checks docs/ too).
 */
export async function renderPropsDoc(): Promise<string> {
  const json = z.toJSONSchema(smsMfaPropsSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, JsonSchema>;
  };
  const rows = Object.entries(json.properties).map(([name, s]) => {
    const range = rangeOf(s);
    const type = `${typeOf(s)}${range ? ` (${range})` : ''}`;
    return `| \`${name}\` | ${cell(type)} | ${cell(defaultOf(s))} | ${cell(s.description ?? '')} |`;
  });
  const markdown = [
    '# CDK props (`SmsMfaProps`) and context settings',
    '',
    '<!-- Generated from cdk/props.ts by `npx tsx cdk/props-doc.ts`; test/cdk/props-doc.test.ts fails when stale. -->',
    '',
    "`new SmsMfa(scope, id, props)` (from `sms-mfa/cdk`) takes these props; the project's own app reads the",
    'same names from CDK context (`cdk.json` or `-c key=value`; strings are read as the number, boolean or',
    'comma-separated list the prop takes). Both go through one zod schema: an invalid value fails synth',
    'with the name of the prop.',
    '',
    '| prop | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  const options = (await resolveConfig(PROPS_DOC)) ?? {};
  return format(markdown, { ...options, filepath: PROPS_DOC });
}

if (isMainModule(import.meta.url)) writeFileSync(PROPS_DOC, await renderPropsDoc());
