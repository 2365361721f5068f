import { GLOBAL_OPTIONS, OPTIONS, type OptionName } from './args.ts';
import { COMMANDS, type Command } from './commands.ts';

const PROGRAM = 'npm run admin --';

const OPTION_HELP: Record<OptionName, [value: string, text: string]> = {
  help: ['', 'Show help for the command'],
  url: ['URL', 'API base URL (env SMS_MFA_URL; default http://127.0.0.1:3000); may include a stage path'],
  token: [
    'TOKEN',
    'Local admin token (env SMS_MFA_ADMIN_TOKEN; else $DATA_DIR/admin-token, DATA_DIR=.local)',
  ],
  sigv4: ['', 'Sign requests with AWS SigV4 (automatic for any non-loopback https URL)'],
  region: ['REGION', 'Signing region (default: from an execute-api host, else AWS_REGION)'],
  name: ['NAME', 'Name'],
  type: ['TYPE', 'Gateway type (see gateway-types); for events tail: event types, comma-separated'],
  'account-id': ['ID', 'Provider account id'],
  username: ['USER', 'Provider username / API key id'],
  password: ['SECRET', 'Provider password / token (sent, never printed)'],
  'password-env': ['VAR', 'Read the provider password from environment variable VAR'],
  from: ['SENDER|DAY', 'Sender number or id; for usage: the first UTC day, YYYY-MM-DD'],
  to: ['DAY', 'For usage: the last UTC day, YYYY-MM-DD (default today)'],
  'group-by': ['GROUP', 'For usage: day, country or gateway (default day)'],
  'gateway-url': ['URL', "The gateway's provider URL (https; required for custom-http)"],
  default: ['', 'Make this the default gateway'],
  'proxy-host': ['HOST', 'Outbound proxy host'],
  'proxy-port': ['PORT', 'Outbound proxy port'],
  'proxy-username': ['USER', 'Proxy username'],
  'proxy-password': ['SECRET', 'Proxy password (sent, never printed)'],
  'proxy-password-env': ['VAR', 'Read the proxy password from environment variable VAR'],
  'proxy-domain': ['DOMAIN', 'Proxy authentication domain'],
  'proxy-description': ['TEXT', 'Proxy description'],
  json: [
    'JSON',
    'Request body fields as a JSON object, or @file.json (flags override; null clears on update)',
  ],
  'if-match': ['VERSION', 'Only if the current version is VERSION (else 409 conflict)'],
  phone: ['NUMBER', 'Phone number, E.164 or international digits (447400123456)'],
  limit: ['N', 'Page size (1-100)'],
  'next-token': ['TOKEN', 'nextToken from the previous page'],
  'webhook-url': ['URL', 'Where the webhook POSTs events (https; follows the outbound address rules)'],
  'event-types': ['TYPES', 'Comma-separated event types, e.g. challenge.approved,factor.locked'],
  app: ['ID', 'the application (id) the new API key belongs to'],
  'data-dir': ['DIR', "The local server's data directory (default $DATA_DIR, else .local)"],
  'from-start': ['', 'Print the events already in the file first'],
  'test-numbers': [
    'LIST',
    'Test numbers as NUMBER=CODE, comma-separated (fictional ranges only; replaces the list)',
  ],
  'trusted-numbers': ['LIST', 'Trusted (shared) numbers, comma-separated (replaces the list)'],
  output: ['FORMAT', 'json (default): the answer as JSON; table: the items as a table'],
  version: ['', 'Print the version and exit'],
  reason: ['TEXT', 'Why (1..500 characters; kept in the audit record)'],
};

function optionLines(names: OptionName[]): string[] {
  return names.map((name) => {
    const [value, text] = OPTION_HELP[name];
    const short = 'short' in OPTIONS[name] ? `-${OPTIONS[name].short}, ` : '';
    return `  ${`${short}--${name}${value ? ` ${value}` : ''}`.padEnd(30)} ${text}`;
  });
}

export function usageLine(command: Command): string {
  return [
    PROGRAM,
    ...command.words,
    ...command.args.map((a) => `<${a}>`),
    command.options.length ? '[options]' : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function commandHelp(command: Command): string {
  return [
    `Usage: ${usageLine(command)}`,
    '',
    command.summary,
    ...(command.options.length ? ['', 'Options:', ...optionLines(command.options)] : []),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
  ].join('\n');
}

export function groupHelp(group?: string): string {
  const commands = COMMANDS.filter((c) => group === undefined || c.words[0] === group);
  return [
    `Usage: ${PROGRAM} ${group ?? '<command>'} ${group ? '<action> ' : ''}[options]`,
    '',
    'Admin CLI for the sms-mfa Admin API. Prints the JSON answer on stdout; a problem answer goes to',
    'stderr with exit code 1; usage errors exit 2. Add --help to any command for its options.',
    '',
    'Commands:',
    ...commands.map(
      (c) => `  ${[...c.words, ...c.args.map((a) => `<${a}>`)].join(' ').padEnd(34)} ${c.summary}`,
    ),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
  ].join('\n');
}
