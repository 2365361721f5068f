import {
  commaList,
  jsonObject,
  positiveInteger,
  UsageError,
  type OptionName,
  type OptionValues,
} from './args.ts';
import { operationPaths as op, type OperationBody, type SmsMfaClient } from '../client/src/index.ts';
import { GATEWAY_FLAGS, gatewayBody } from './gateway-body.ts';
import { eventsFileOf, tailEvents } from './events-tail.ts';

/** What a call of the typed client resolves to: the parsed answer or the problem, and the response. */
export interface ApiAnswer {
  data?: unknown;
  error?: unknown;
  response: Response;
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

/** One call of the Admin API, through the client typed by openapi.json (a drifted path fails tsc). */
export interface ApiCommand extends CommandLineShape {
  /** Its answer is `{ items, nextToken? }`: `--output table` prints the items as a table. */
  list?: boolean;
  send(api: SmsMfaClient, input: CommandInput): Promise<ApiAnswer>;
}

/** A command that works on this machine only (a local server's files), without calling the API. */
export interface LocalCommand extends CommandLineShape {
  execute(input: CommandInput, io: { print(line: string): void; signal: AbortSignal }): Promise<void>;
}

export type Command = ApiCommand | LocalCommand;

/** `--test-numbers +447700900123=246810`: a number and its fixed code. */
function testNumberOption(entry: string): { phoneNumber: string; code: string } {
  const [phoneNumber, code, ...rest] = entry.split('=').map((part) => part.trim());
  if (!phoneNumber || !code || rest.length > 0)
    throw new UsageError(`--test-numbers takes NUMBER=CODE entries, not "${entry}"`);
  return { phoneNumber, code };
}

function listQuery(values: OptionValues): { limit?: number; nextToken?: string } {
  const limit = positiveInteger(values.limit, 'limit');
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(values['next-token'] !== undefined ? { nextToken: values['next-token'] } : {}),
  };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required`);
  return value;
}

function ifMatch(values: OptionValues): { 'if-match'?: string } {
  return values['if-match'] !== undefined ? { 'if-match': values['if-match'] } : {};
}

/** The calls of one admin resource, each on its own typed path. */
interface ResourceCalls {
  list(api: SmsMfaClient, query: ReturnType<typeof listQuery>): Promise<ApiAnswer>;
  get(api: SmsMfaClient, id: string): Promise<ApiAnswer>;
  /** `body` comes from --json and flags: the server validates what the flags' types cannot. */
  create(api: SmsMfaClient, body: Record<string, unknown>): Promise<ApiAnswer>;
  update(
    api: SmsMfaClient,
    id: string,
    body: Record<string, unknown>,
    header: ReturnType<typeof ifMatch>,
  ): Promise<ApiAnswer>;
  delete(api: SmsMfaClient, id: string, header: ReturnType<typeof ifMatch>): Promise<ApiAnswer>;
}

interface ResourceCommands {
  group: string;
  idArg: string;
  calls: ResourceCalls;
  /** The flags that make up a create or update body. */
  bodyOptions: OptionName[];
  body(input: CommandInput): Record<string, unknown>;
  requiredOnCreate: OptionName[];
  emptyUpdate: string;
  summaries: Record<'list' | 'get' | 'create' | 'update' | 'delete', string>;
}

/** list, get, create, update and delete of an admin resource, as the API gives every one of them. */
function resourceCommands(spec: ResourceCommands): ApiCommand[] {
  const command = (verb: keyof ResourceCommands['summaries'], args: string[], options: OptionName[]) => ({
    words: [spec.group, verb],
    args,
    options,
    summary: spec.summaries[verb],
  });
  const id = (args: string[]) => args[0]!;
  return [
    {
      ...command('list', [], ['limit', 'next-token', 'output']),
      list: true,
      send: (api, { values }) => spec.calls.list(api, listQuery(values)),
    },
    { ...command('get', [spec.idArg], []), send: (api, { args }) => spec.calls.get(api, id(args)) },
    {
      ...command('create', [], spec.bodyOptions),
      send: (api, input) => {
        const body = spec.body(input);
        for (const flag of spec.requiredOnCreate) if (body[flag] === undefined) required(undefined, flag);
        return spec.calls.create(api, body);
      },
    },
    {
      ...command('update', [spec.idArg], [...spec.bodyOptions, 'if-match']),
      send: (api, input) => {
        const body = spec.body(input);
        if (Object.keys(body).length === 0) throw new UsageError(spec.emptyUpdate);
        return spec.calls.update(api, id(input.args), body, ifMatch(input.values));
      },
    },
    {
      ...command('delete', [spec.idArg], ['if-match']),
      send: (api, { args, values }) => spec.calls.delete(api, id(args), ifMatch(values)),
    },
  ];
}

const gatewayCalls: ResourceCalls = {
  list: (api, query) => api.GET(op['gateways-list'], { params: { query } }),
  get: (api, gatewayId) => api.GET(op['gateways-get'], { params: { path: { gatewayId } } }),
  create: (api, body) => api.POST(op['gateways-create'], { body: body as OperationBody<'gateways-create'> }),
  update: (api, gatewayId, body, header) =>
    api.PATCH(op['gateways-update'], {
      params: { path: { gatewayId }, header },
      body: body as OperationBody<'gateways-update'>,
    }),
  delete: (api, gatewayId, header) =>
    api.DELETE(op['gateways-delete'], { params: { path: { gatewayId }, header } }),
};

const storeCalls: ResourceCalls = {
  list: (api, query) => api.GET(op['identity-stores-list'], { params: { query } }),
  get: (api, storeId) => api.GET(op['identity-stores-get'], { params: { path: { storeId } } }),
  create: (api, body) =>
    api.POST(op['identity-stores-create'], { body: body as OperationBody<'identity-stores-create'> }),
  update: (api, storeId, body, header) =>
    api.PATCH(op['identity-stores-update'], {
      params: { path: { storeId }, header },
      body: body as OperationBody<'identity-stores-update'>,
    }),
  delete: (api, storeId, header) =>
    api.DELETE(op['identity-stores-delete'], { params: { path: { storeId }, header } }),
};

/** `apps ...`: an identity store's applications; every command names the store first. */
function applicationCommands(): ApiCommand[] {
  const store = (args: string[]) => ({ storeId: args[0]! });
  const app = (args: string[]) => ({ storeId: args[0]!, applicationId: args[1]! });
  const body = ({ values }: CommandInput) => ({
    ...jsonObject(values.json),
    ...(values.name !== undefined ? { name: values.name } : {}),
  });
  return [
    {
      words: ['apps', 'list'],
      args: ['storeId'],
      options: ['limit', 'next-token', 'output'],
      list: true,
      summary: "List an identity store's applications (one page)",
      send: (api, { args, values }) =>
        api.GET(op['applications-list'], { params: { path: store(args), query: listQuery(values) } }),
    },
    {
      words: ['apps', 'get'],
      args: ['storeId', 'applicationId'],
      options: [],
      summary: 'Show one application',
      send: (api, { args }) => api.GET(op['applications-get'], { params: { path: app(args) } }),
    },
    {
      words: ['apps', 'create'],
      args: ['storeId'],
      options: ['name', 'json'],
      summary: 'Create an application: --name, and optionally --json \'{"mfaPolicy":{"enabled":true}}\'',
      send: (api, input) => {
        const created = body(input);
        if (created.name === undefined) required(undefined, 'name');
        return api.POST(op['applications-create'], {
          params: { path: store(input.args) },
          body: created as OperationBody<'applications-create'>,
        });
      },
    },
    {
      words: ['apps', 'update'],
      args: ['storeId', 'applicationId'],
      options: ['name', 'json', 'if-match'],
      summary:
        'Change an application with --name or a JSON Merge Patch as --json (mfaPolicy null: follow the store)',
      send: (api, input) => {
        const patch = body(input);
        if (Object.keys(patch).length === 0) throw new UsageError('nothing to update: give --name or --json');
        return api.PATCH(op['applications-update'], {
          params: { path: app(input.args), header: ifMatch(input.values) },
          body: patch as OperationBody<'applications-update'>,
        });
      },
    },
    {
      words: ['apps', 'delete'],
      args: ['storeId', 'applicationId'],
      options: ['if-match'],
      summary: 'Delete an application and revoke its API keys',
      send: (api, { args, values }) =>
        api.DELETE(op['applications-delete'], { params: { path: app(args), header: ifMatch(values) } }),
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

const storePath = (args: string[]) => ({ storeId: args[0]! });

export const COMMANDS: Command[] = [
  {
    words: ['gateway-types'],
    args: [],
    options: ['output'],
    list: true,
    summary: 'List gateway types with their provider URL and the fields each requires',
    send: (api) => api.GET(op['gateway-types-list']),
  },
  ...resourceCommands({
    group: 'gateways',
    idArg: 'gatewayId',
    calls: gatewayCalls,
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
    send: (api, { args, values }) =>
      api.POST(op['gateways-test'], {
        params: { path: { gatewayId: args[0]! } },
        body: { phoneNumber: required(values.phone, 'phone') },
      }),
  },
  ...resourceCommands({
    group: 'stores',
    idArg: 'storeId',
    calls: storeCalls,
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
  {
    words: ['stores', 'routing'],
    args: ['storeId'],
    options: ['output'],
    list: true,
    summary:
      "Show an identity store's routing snapshot: per country and linked gateway, accepted, approved, rate and health",
    send: (api, { args }) => api.GET(op['routing-get'], { params: { path: storePath(args) } }),
  },
  ...applicationCommands(),
  {
    words: ['challenges', 'get'],
    args: ['storeId', 'challengeId'],
    options: [],
    summary: 'Show one challenge of an identity store: its status and every send with its delivery status',
    send: (api, { args }) =>
      api.GET(op['challenges-get'], {
        params: { path: { ...storePath(args), challengeId: args[1]! } },
      }),
  },
  {
    words: ['keys', 'list'],
    args: ['storeId'],
    options: ['output'],
    list: true,
    summary: "List an identity store's API keys (never the key values)",
    send: (api, { args }) => api.GET(op['api-keys-list'], { params: { path: storePath(args) } }),
  },
  {
    words: ['keys', 'create'],
    args: ['storeId'],
    options: ['name', 'app'],
    summary:
      'Create an API key (--app: of that application; else store-level); the key is shown only in this answer',
    send: (api, { args, values }) =>
      api.POST(op['api-keys-create'], {
        params: { path: storePath(args) },
        body: {
          name: required(values.name, 'name'),
          ...(values.app !== undefined ? { applicationId: values.app } : {}),
        },
      }),
  },
  {
    words: ['keys', 'revoke'],
    args: ['storeId', 'keyId'],
    options: [],
    summary: 'Revoke an API key (deployed: it stops working within the authorizer cache TTL)',
    send: (api, { args }) =>
      api.DELETE(op['api-keys-delete'], { params: { path: { ...storePath(args), keyId: args[1]! } } }),
  },
  {
    words: ['webhooks', 'list'],
    args: ['storeId'],
    options: ['output'],
    list: true,
    summary: "List an identity store's webhooks (never their secrets)",
    send: (api, { args }) => api.GET(op['webhooks-list'], { params: { path: storePath(args) } }),
  },
  {
    words: ['webhooks', 'create'],
    args: ['storeId'],
    options: ['webhook-url', 'event-types'],
    summary:
      'Create a webhook: --webhook-url, optionally --event-types a,b (default: every type); the secret is shown only here',
    send: (api, { args, values }) =>
      api.POST(op['webhooks-create'], {
        params: { path: storePath(args) },
        body: {
          url: required(values['webhook-url'], 'webhook-url'),
          ...(values['event-types'] !== undefined
            ? {
                // The server names an unknown type in its 400; the flag takes any words.
                eventTypes: commaList(
                  values['event-types'],
                ) as OperationBody<'webhooks-create'>['eventTypes'],
              }
            : {}),
        },
      }),
  },
  {
    words: ['webhooks', 'delete'],
    args: ['storeId', 'webhookId'],
    options: [],
    summary: 'Delete a webhook',
    send: (api, { args }) =>
      api.DELETE(op['webhooks-delete'], {
        params: { path: { ...storePath(args), webhookId: args[1]! } },
      }),
  },
  {
    words: ['webhooks', 'rotate-secret'],
    args: ['storeId', 'webhookId'],
    options: [],
    summary: 'Give a webhook a new secret (shown only here); the previous one also signs for 24 hours',
    send: (api, { args }) =>
      api.POST(op['webhooks-rotate-secret'], {
        params: { path: { ...storePath(args), webhookId: args[1]! } },
      }),
  },
  {
    words: ['webhooks', 'deliveries'],
    args: ['storeId', 'webhookId'],
    options: ['limit', 'next-token', 'output'],
    list: true,
    summary: "List a webhook's deliveries of the last 7 days, newest first (one page)",
    send: (api, { args, values }) =>
      api.GET(op['webhook-deliveries-list'], {
        params: { path: { ...storePath(args), webhookId: args[1]! }, query: listQuery(values) },
      }),
  },
  {
    words: ['webhooks', 'retry'],
    args: ['storeId', 'webhookId', 'deliveryId'],
    options: [],
    summary: 'Deliver an event to a webhook again now (same webhook-id, new timestamp and signature)',
    send: (api, { args }) =>
      api.POST(op['webhook-deliveries-retry'], {
        params: { path: { ...storePath(args), webhookId: args[1]!, deliveryId: args[2]! } },
      }),
  },
  eventsTail,
  {
    words: ['users', 'get'],
    args: ['storeId', 'userId'],
    options: [],
    summary: "Show a user's SMS factor, lock, recent challenges and userRef (the support desk's lookup)",
    send: (api, { args }) =>
      api.GET(op['store-users-get'], { params: { path: { ...storePath(args), userId: args[1]! } } }),
  },
  {
    words: ['users', 'reset'],
    args: ['storeId', 'userId'],
    options: ['reason'],
    summary:
      'Reset a lost phone (--reason, kept in the audit record): removes the factor and remembered number, closes live codes, tells the old number',
    send: (api, { args, values }) =>
      api.POST(op['store-users-reset-factor'], {
        params: { path: { ...storePath(args), userId: args[1]! } },
        body: { reason: required(values.reason, 'reason') },
      }),
  },
  {
    words: ['users', 'unlock'],
    args: ['storeId', 'userId'],
    options: [],
    summary: "End a user's 15-minute lock and reset the consecutive-failure count",
    send: (api, { args }) =>
      api.POST(op['store-users-unlock'], { params: { path: { ...storePath(args), userId: args[1]! } } }),
  },
  {
    words: ['blocks', 'list'],
    args: ['storeId'],
    options: ['output'],
    list: true,
    summary:
      "List an identity store's active fraud-guard blocks (prefix, country, client-ip) and when they end",
    send: (api, { args }) => api.GET(op['blocks-list'], { params: { path: storePath(args) } }),
  },
  {
    words: ['blocks', 'lift'],
    args: ['storeId', 'kind', 'value'],
    options: [],
    summary:
      'Lift a block for the rest of its window: kind prefix|country|client-ip, value as blocks list shows it',
    send: (api, { args }) =>
      api.DELETE(op['blocks-delete'], {
        params: {
          path: {
            ...storePath(args),
            kind: args[1] as 'prefix' | 'country' | 'client-ip',
            value: args[2]!,
          },
        },
      }),
  },
  {
    words: ['usage'],
    args: ['storeId'],
    options: ['from', 'to', 'group-by', 'output'],
    list: true,
    summary:
      "An identity store's sends, conversion and cost: --from/--to YYYY-MM-DD (UTC, default the last 7 days), --group-by day|country|gateway",
    send: (api, { args, values }) =>
      api.GET(op['usage-get'], {
        params: {
          path: storePath(args),
          query: {
            ...(values.from !== undefined ? { from: values.from } : {}),
            ...(values.to !== undefined ? { to: values.to } : {}),
            // The API judges the word; a wrong one is its 400, named.
            ...(values['group-by'] !== undefined
              ? { groupBy: values['group-by'] as 'day' | 'country' | 'gateway' }
              : {}),
          },
        },
      }),
  },
];

export const GROUPS = [...new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!))];
