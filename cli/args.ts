import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** A mistake in the command line: the CLI prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly helpFor: string = '',
  ) {
    super(message);
  }
}

/** Every option the CLI knows; each command accepts only the ones it lists. */
export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  url: { type: 'string' },
  token: { type: 'string' },
  sigv4: { type: 'boolean' },
  region: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string' },
  'account-id': { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'password-env': { type: 'string' },
  from: { type: 'string' },
  'gateway-url': { type: 'string' },
  default: { type: 'boolean' },
  'proxy-host': { type: 'string' },
  'proxy-port': { type: 'string' },
  'proxy-username': { type: 'string' },
  'proxy-password': { type: 'string' },
  'proxy-password-env': { type: 'string' },
  'proxy-domain': { type: 'string' },
  'proxy-description': { type: 'string' },
  json: { type: 'string' },
  'if-match': { type: 'string' },
  phone: { type: 'string' },
  limit: { type: 'string' },
  'next-token': { type: 'string' },
  'webhook-url': { type: 'string' },
  'event-types': { type: 'string' },
  app: { type: 'string' },
  'data-dir': { type: 'string' },
  'from-start': { type: 'boolean' },
  'test-numbers': { type: 'string' },
  'trusted-numbers': { type: 'string' },
  output: { type: 'string' },
  reason: { type: 'string' },
  to: { type: 'string' },
  'group-by': { type: 'string' },
  version: { type: 'boolean' },
} as const;

export type OptionName = keyof typeof OPTIONS;
export type OptionValues = {
  [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** Options every command takes: where the API is and how to authenticate. */
export const GLOBAL_OPTIONS: OptionName[] = ['help', 'url', 'token', 'sigv4', 'region'];

export interface CommandLine {
  words: string[];
  values: OptionValues;
  /** The options actually given, as typed (for "not accepted here" errors). */
  given: OptionName[];
}

export function parseCommandLine(argv: string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const given = [
    ...new Set(parsed.tokens.flatMap((t) => (t.kind === 'option' ? [t.name as OptionName] : []))),
  ];
  return { words: parsed.positionals, values: parsed.values as OptionValues, given };
}

/** `--json '{...}'` or `--json @file.json`: a JSON object. */
export function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let source = text;
  if (text.startsWith('@')) {
    try {
      source = readFileSync(text.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`--json: cannot read ${text.slice(1)}: ${(error as Error).message}`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new UsageError(`--json is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('--json must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** A secret given directly or, to keep it out of shell history, named by an environment variable. */
export function secretValue(
  direct: string | undefined,
  envName: string | undefined,
  env: NodeJS.ProcessEnv,
  flag: string,
): string | undefined {
  if (direct !== undefined && envName !== undefined) {
    throw new UsageError(`give either --${flag} or --${flag}-env, not both`);
  }
  if (envName === undefined) return direct;
  const value = env[envName];
  if (!value) throw new UsageError(`--${flag}-env: environment variable ${envName} is not set`);
  return value;
}

export function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} must be a positive integer`);
  return Number(text);
}

/** `a, b,,c` -> `['a', 'b', 'c']` (the CLI's comma-separated list options). */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
