import { readFileSync } from 'node:fs';
import { createSmsMfaClient } from '../client/src/index.ts';
import { GLOBAL_OPTIONS, parseCommandLine, UsageError, type OptionValues } from './args.ts';
import { COMMANDS, GROUPS, type ApiAnswer, type ApiCommand, type Command } from './commands.ts';
import { commandHelp, groupHelp, usageLine } from './help.ts';
import { formatTable, isListAnswer } from './table.ts';
import { baseUrlOf, resolveTarget, transportFetch, type Target } from './transport.ts';

/** The package's version, as `sms-mfa --version` prints it. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Runs one CLI invocation and returns its exit code. */
export async function run(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  /** For a command that runs until interrupted (`events tail`): its end. */
  interruption: () => AbortSignal = () => new AbortController().signal,
): Promise<number> {
  try {
    const line = parseCommandLine(argv);
    if (line.values.version) {
      out.stdout(`${VERSION}\n`);
      return EXIT_OK;
    }
    if (line.words[0] === 'help') {
      line.words.shift(); // `help gateways create` is `gateways create --help`
      line.values.help = true;
    }
    const [first, second] = line.words;
    const command =
      COMMANDS.find((c) => c.words.length === 1 && c.words[0] === first) ??
      COMMANDS.find((c) => c.words.length === 2 && c.words[0] === first && c.words[1] === second);

    if (!command) {
      const group = first !== undefined && GROUPS.includes(first) ? first : undefined;
      if (line.values.help && (first === undefined || (group && second === undefined))) {
        out.stdout(groupHelp(group));
        return EXIT_OK;
      }
      if (first === undefined) throw new UsageError('no command given');
      if (!group) throw new UsageError(`unknown command '${first}'`);
      throw new UsageError(
        second ? `unknown ${group} action '${second}'` : `${group} needs an action`,
        group,
      );
    }
    if (line.values.help) {
      out.stdout(commandHelp(command));
      return EXIT_OK;
    }
    const args = checkLine(command, line.words.slice(command.words.length), line.given);
    if ('execute' in command) {
      await command.execute(
        { args, values: line.values, env },
        { print: out.stdout, signal: interruption() },
      );
      return EXIT_OK;
    }
    const format = outputFormat(command, line.values);
    let target: Promise<Target> | undefined;
    const api = createSmsMfaClient({
      baseUrl: baseUrlOf(line.values, env).href,
      fetch: transportFetch(() => (target ??= resolveTarget(line.values, env))),
    });
    return report(await command.send(api, { args, values: line.values, env }), format, out);
  } catch (error) {
    if (error instanceof UsageError) {
      const more = error.helpFor ? ` ${error.helpFor}` : '';
      out.stderr(`admin: ${error.message}\nRun 'npm run admin --${more} --help' for usage.\n`);
      return EXIT_USAGE;
    }
    out.stderr(`admin: ${errorText(error)}\n`);
    return EXIT_FAILED;
  }
}

function checkLine(command: Command, args: string[], given: string[]): string[] {
  const name = command.words.join(' ');
  const allowed = new Set<string>([...GLOBAL_OPTIONS, ...command.options]);
  const stray = given.find((option) => !allowed.has(option));
  if (stray) throw new UsageError(`'${name}' does not take --${stray}`, name);
  if (args.length !== command.args.length) {
    throw new UsageError(`usage: ${usageLine(command)}`, name);
  }
  const empty = args.findIndex((arg) => arg.trim() === '');
  if (empty >= 0) throw new UsageError(`<${command.args[empty]}> must not be empty`, name);
  return args;
}

/** `--output json|table` (list commands only; default json). */
function outputFormat(command: ApiCommand, values: OptionValues): 'json' | 'table' {
  const format = values.output ?? 'json';
  if (format !== 'json' && format !== 'table') {
    throw new UsageError(`--output must be json or table, not '${format}'`, command.words.join(' '));
  }
  return format;
}

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** 2xx: the answer on stdout (nothing for 204). Otherwise the problem on stderr, exit 1. */
function report(answer: ApiAnswer, format: 'json' | 'table', out: Output): number {
  const { response, data, error } = answer;
  if (response.ok) {
    if (data !== undefined)
      out.stdout(format === 'table' && isListAnswer(data) ? formatTable(data) : pretty(data));
    return EXIT_OK;
  }
  const isProblem = typeof error === 'object' && error !== null;
  out.stderr(isProblem ? pretty(error) : `HTTP ${response.status}${error ? `: ${String(error)}` : ''}\n`);
  return EXIT_FAILED;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `cannot connect (${code}); is the server running?`;
  return error.message || code || error.name;
}
