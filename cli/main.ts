import { GLOBAL_OPTIONS, parseCommandLine, UsageError } from './args.ts';
import { COMMANDS, GROUPS, type Command } from './commands.ts';
import { commandHelp, groupHelp, usageLine } from './help.ts';
import { resolveTarget, send, type ApiResponse } from './transport.ts';

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
    const request = command.build({ args, values: line.values, env });
    const target = await resolveTarget(line.values, env);
    return report(await send(target, request), out);
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

/** 2xx: the JSON answer on stdout (nothing for 204). Otherwise the problem on stderr, exit 1. */
function report(response: ApiResponse, out: Output): number {
  const ok = response.status >= 200 && response.status < 300;
  const body = pretty(response.text);
  if (ok) {
    if (body) out.stdout(body);
    return EXIT_OK;
  }
  const isJson = /json/i.test(response.contentType) && body !== undefined;
  out.stderr(isJson ? body : `HTTP ${response.status}${response.text ? `: ${response.text}` : ''}\n`);
  return EXIT_FAILED;
}

function pretty(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text.endsWith('\n') ? text : `${text}\n`;
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `cannot connect (${code}); is the server running?`;
  return error.message || code || error.name;
}
