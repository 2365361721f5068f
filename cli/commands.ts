import {
  commaList,
  jsonObject,
  positiveInteger,
  UsageError,
  type OptionName,
  type OptionValues,
} from './args.ts';
import type { CreateApiKeyBody } from '../shared/api/api-key-schemas.ts';
import type { TestGatewayBody } from '../shared/api/gateway-schemas.ts';
import { GATEWAY_FLAGS, gatewayBody } from './gateway-body.ts';
import { eventsFileOf, tailEvents } from './events-tail.ts';

/** One call of the Admin API (docs: /work/shared/api.md, "Admin API"). */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  ifMatch?: string;
}

export interface CommandInput {
  args: string[];
  values: OptionValues;
  env: NodeJS.ProcessEnv;
}

interface CommandLineShape {
  words: string[];
  /** Positional arguments after the command words, e.g. `<id>`. */
  args: string[];
  options: OptionName[];
  summary: string;
}

/** One call of the Admin API. */
export interface ApiCommand extends CommandLineShape {
  build(input: CommandInput): ApiRequest;
}

/** A command that works on this machine only (a local server's files), without calling the API. */
export interface LocalCommand extends CommandLineShape {
  execute(input: CommandInput, io: { print(line: string): void; signal: AbortSignal }): Promise<void>;
}

export type Command = ApiCommand | LocalCommand;

const GATEWAYS = '/admin/gateways';
const STORES = '/admin/identity-stores';

/** `--test-numbers +447700900123=246810`: a number and its fixed code. */
function testNumberOption(entry: string): { phoneNumber: string; code: string } {
  const [phoneNumber, code, ...rest] = entry.split('=').map((part) => part.trim());
  if (!phoneNumber || !code || rest.length > 0)
    throw new UsageError(`--test-numbers takes NUMBER=CODE entries, not "${entry}"`);
  return { phoneNumber, code };
}
const segment = (value: string | undefined) => encodeURIComponent(value ?? '');

function listQuery(values: OptionValues): Record<string, string> {
  const limit = positiveInteger(values.limit, 'limit');
  return {
    ...(limit !== undefined ? { limit: String(limit) } : {}),
    ...(values['next-token'] !== undefined ? { nextToken: values['next-token'] } : {}),
  };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required`);
  return value;
}

const post = (path: string, body: unknown): ApiRequest => ({ method: 'POST', path, body });

function ifMatch(values: OptionValues): { ifMatch?: string } {
  return values['if-match'] !== undefined ? { ifMatch: values['if-match'] } : {};
}

interface ResourceCommands {
  group: string;
  path: string;
  idArg: string;
  /** The flags that make up a create or update body. */
  bodyOptions: OptionName[];
  body(input: CommandInput): Record<string, unknown>;
  requiredOnCreate: OptionName[];
  emptyUpdate: string;
  summaries: Record<'list' | 'get' | 'create' | 'update' | 'delete', string>;
}

/** list, get, create, update and delete of an admin resource, as the API gives every one of them. */
function resourceCommands(spec: ResourceCommands): ApiCommand[] {
  const item = (args: string[]) => `${spec.path}/${segment(args[0])}`;
  const command = (verb: keyof ResourceCommands['summaries'], args: string[], options: OptionName[]) => ({
    words: [spec.group, verb],
    args,
    options,
    summary: spec.summaries[verb],
  });
  return [
    {
      ...command('list', [], ['limit', 'next-token']),
      build: ({ values }) => ({ method: 'GET', path: spec.path, query: listQuery(values) }),
    },
    { ...command('get', [spec.idArg], []), build: ({ args }) => ({ method: 'GET', path: item(args) }) },
    {
      ...command('create', [], spec.bodyOptions),
      build: (input) => {
        const body = spec.body(input);
        for (const flag of spec.requiredOnCreate) if (body[flag] === undefined) required(undefined, flag);
        return { method: 'POST', path: spec.path, body };
      },
    },
    {
      ...command('update', [spec.idArg], [...spec.bodyOptions, 'if-match']),
      build: (input) => {
        const body = spec.body(input);
        if (Object.keys(body).length === 0) throw new UsageError(spec.emptyUpdate);
        return { method: 'PATCH', path: item(input.args), body, ...ifMatch(input.values) };
      },
    },
    {
      ...command('delete', [spec.idArg], ['if-match']),
      build: ({ args, values }) => ({ method: 'DELETE', path: item(args), ...ifMatch(values) }),
    },
  ];
}

/** `apps ...`: an identity store's applications; every command names the store first. */
function applicationCommands(): ApiCommand[] {
  const collection = (args: string[]) => `${STORES}/${segment(args[0])}/applications`;
  const item = (args: string[]) => `${collection(args)}/${segment(args[1])}`;
  const body = ({ values }: CommandInput) => ({
    ...jsonObject(values.json),
    ...(values.name !== undefined ? { name: values.name } : {}),
  });
  return [
    {
      words: ['apps', 'list'],
      args: ['storeId'],
      options: ['limit', 'next-token'],
      summary: "List an identity store's applications (one page)",
      build: ({ args, values }) => ({ method: 'GET', path: collection(args), query: listQuery(values) }),
    },
    {
      words: ['apps', 'get'],
      args: ['storeId', 'applicationId'],
      options: [],
      summary: 'Show one application',
      build: ({ args }) => ({ method: 'GET', path: item(args) }),
    },
    {
      words: ['apps', 'create'],
      args: ['storeId'],
      options: ['name', 'json'],
      summary: 'Create an application: --name, and optionally --json \'{"mfaPolicy":{"enabled":true}}\'',
      build: (input) => {
        const created = body(input);
        if (created.name === undefined) required(undefined, 'name');
        return post(collection(input.args), created);
      },
    },
    {
      words: ['apps', 'update'],
      args: ['storeId', 'applicationId'],
      options: ['name', 'json', 'if-match'],
      summary:
        'Change an application with --name or a JSON Merge Patch as --json (mfaPolicy null: follow the store)',
      build: (input) => {
        const patch = body(input);
        if (Object.keys(patch).length === 0) throw new UsageError('nothing to update: give --name or --json');
        return { method: 'PATCH', path: item(input.args), body: patch, ...ifMatch(input.values) };
      },
    },
    {
      words: ['apps', 'delete'],
      args: ['storeId', 'applicationId'],
      options: ['if-match'],
      summary: 'Delete an application and revoke its API keys',
      build: ({ args, values }) => ({ method: 'DELETE', path: item(args), ...ifMatch(values) }),
    },
  ];
}

/** `events tail`: a local server's `events.jsonl` as it grows (deployed events are on the bus). */
const eventsTail: LocalCommand = {
  words: ['events', 'tail'],
  args: [],
  options: ['type', 'data-dir', 'from-start'],
  summary:
    "Follow a local server's $DATA_DIR/events.jsonl, one JSON line per event (--type a,b: only those types)",
  execute: ({ values, env }, { print, signal }) => {
    const types = values.type === undefined ? undefined : commaList(values.type);
    return tailEvents({
      file: eventsFileOf(values['data-dir'] ?? env.DATA_DIR),
      types: types?.length ? new Set(types) : undefined,
      fromStart: values['from-start'] ?? false,
      print: (line) => print(`${line}\n`),
      signal,
    });
  },
};

export const COMMANDS: Command[] = [
  {
    words: ['gateway-types'],
    args: [],
    options: [],
    summary: 'List gateway types with their provider URL and the fields each requires',
    build: () => ({ method: 'GET', path: '/admin/gateway-types' }),
  },
  ...resourceCommands({
    group: 'gateways',
    path: GATEWAYS,
    idArg: 'gatewayId',
    bodyOptions: GATEWAY_FLAGS,
    body: ({ values, env }) => gatewayBody(values, env),
    requiredOnCreate: ['name', 'type'],
    emptyUpdate: 'nothing to update: give at least one field',
    summaries: {
      list: 'List gateway accounts (one page; pass nextToken back with --next-token)',
      get: 'Show one gateway account',
      create: 'Create a gateway account (--name and --type required)',
      update: 'Change a gateway account (JSON Merge Patch of the given fields)',
      delete: 'Delete a gateway account (refused while identity stores link it)',
    },
  }),
  {
    words: ['gateways', 'test'],
    args: ['gatewayId'],
    options: ['phone'],
    summary: 'Send a short test message through a gateway (--phone required)',
    build: ({ args, values }) =>
      post(`${GATEWAYS}/${segment(args[0])}/test`, {
        phoneNumber: required(values.phone, 'phone'),
      } satisfies TestGatewayBody),
  },
  ...resourceCommands({
    group: 'stores',
    path: STORES,
    idArg: 'storeId',
    bodyOptions: ['name', 'json', 'test-numbers', 'trusted-numbers'],
    body: ({ values }) => ({
      ...jsonObject(values.json),
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values['test-numbers'] !== undefined
        ? { testNumbers: commaList(values['test-numbers']).map(testNumberOption) }
        : {}),
      ...(values['trusted-numbers'] !== undefined
        ? { trustedNumbers: commaList(values['trusted-numbers']) }
        : {}),
    }),
    requiredOnCreate: ['name'],
    emptyUpdate: '--json (a merge patch) is required',
    summaries: {
      list: 'List identity stores (one page; pass nextToken back with --next-token)',
      get: 'Show one identity store',
      create: 'Create an identity store: --name, and optionally the rest of the body as --json',
      update: 'Change an identity store with a JSON Merge Patch given as --json (null clears a field)',
      delete: 'Delete an identity store',
    },
  }),
  ...applicationCommands(),
  {
    words: ['challenges', 'get'],
    args: ['storeId', 'challengeId'],
    options: [],
    summary: 'Show one challenge of an identity store: its status and every send with its delivery status',
    build: ({ args }) => ({
      method: 'GET',
      path: `${STORES}/${segment(args[0])}/challenges/${segment(args[1])}`,
    }),
  },
  {
    words: ['keys', 'list'],
    args: ['storeId'],
    options: [],
    summary: "List an identity store's API keys (never the key values)",
    build: ({ args }) => ({ method: 'GET', path: `${STORES}/${segment(args[0])}/api-keys` }),
  },
  {
    words: ['keys', 'create'],
    args: ['storeId'],
    options: ['name', 'app'],
    summary:
      'Create an API key (--app: of that application; else store-level); the key is shown only in this answer',
    build: ({ args, values }) =>
      post(`${STORES}/${segment(args[0])}/api-keys`, {
        name: required(values.name, 'name'),
        ...(values.app !== undefined ? { applicationId: values.app } : {}),
      } satisfies CreateApiKeyBody),
  },
  {
    words: ['keys', 'revoke'],
    args: ['storeId', 'keyId'],
    options: [],
    summary: 'Revoke an API key (deployed: it stops working within the authorizer cache TTL)',
    build: ({ args }) => ({
      method: 'DELETE',
      path: `${STORES}/${segment(args[0])}/api-keys/${segment(args[1])}`,
    }),
  },
  {
    words: ['webhooks', 'list'],
    args: ['storeId'],
    options: [],
    summary: "List an identity store's webhooks (never their secrets)",
    build: ({ args }) => ({ method: 'GET', path: `${STORES}/${segment(args[0])}/webhooks` }),
  },
  {
    words: ['webhooks', 'create'],
    args: ['storeId'],
    options: ['webhook-url', 'event-types'],
    summary:
      'Create a webhook: --webhook-url, optionally --event-types a,b (default: every type); the secret is shown only here',
    build: ({ args, values }) =>
      post(`${STORES}/${segment(args[0])}/webhooks`, {
        url: required(values['webhook-url'], 'webhook-url'),
        ...(values['event-types'] !== undefined
          ? {
              eventTypes: commaList(values['event-types']),
            }
          : {}),
      }),
  },
  {
    words: ['webhooks', 'delete'],
    args: ['storeId', 'webhookId'],
    options: [],
    summary: 'Delete a webhook',
    build: ({ args }) => ({
      method: 'DELETE',
      path: `${STORES}/${segment(args[0])}/webhooks/${segment(args[1])}`,
    }),
  },
  {
    words: ['webhooks', 'rotate-secret'],
    args: ['storeId', 'webhookId'],
    options: [],
    summary: 'Give a webhook a new secret (shown only here); the previous one also signs for 24 hours',
    build: ({ args }) => ({
      method: 'POST',
      path: `${STORES}/${segment(args[0])}/webhooks/${segment(args[1])}/rotate-secret`,
    }),
  },
  eventsTail,
  {
    words: ['blocks', 'list'],
    args: ['storeId'],
    options: [],
    summary:
      "List an identity store's active fraud-guard blocks (prefix, country, client-ip) and when they end",
    build: ({ args }) => ({ method: 'GET', path: `${STORES}/${segment(args[0])}/blocks` }),
  },
  {
    words: ['blocks', 'lift'],
    args: ['storeId', 'kind', 'value'],
    options: [],
    summary:
      'Lift a block for the rest of its window: kind prefix|country|client-ip, value as blocks list shows it',
    build: ({ args }) => ({
      method: 'DELETE',
      path: `${STORES}/${segment(args[0])}/blocks/${segment(args[1])}/${segment(args[2])}`,
    }),
  },
];

export const GROUPS = [...new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!))];
