import { jsonObject, positiveInteger, UsageError, type OptionName, type OptionValues } from './args.ts';
import type { CreateApiKeyBody } from '../shared/api/api-key-schemas.ts';
import type { TestGatewayBody } from '../shared/api/gateway-schemas.ts';
import { GATEWAY_FLAGS, gatewayBody } from './gateway-body.ts';

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

export interface Command {
  words: string[];
  /** Positional arguments after the command words, e.g. `<id>`. */
  args: string[];
  options: OptionName[];
  summary: string;
  build(input: CommandInput): ApiRequest;
}

const GATEWAYS = '/admin/gateways';
const STORES = '/admin/identity-stores';
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

function ifMatch(values: OptionValues): { ifMatch?: string } {
  return values['if-match'] !== undefined ? { ifMatch: values['if-match'] } : {};
}

export const COMMANDS: Command[] = [
  {
    words: ['gateway-types'],
    args: [],
    options: [],
    summary: 'List gateway types with their provider URL and the fields each requires',
    build: () => ({ method: 'GET', path: '/admin/gateway-types' }),
  },
  {
    words: ['gateways', 'list'],
    args: [],
    options: ['limit', 'next-token'],
    summary: 'List gateway accounts (one page; pass nextToken back with --next-token)',
    build: ({ values }) => ({ method: 'GET', path: GATEWAYS, query: listQuery(values) }),
  },
  {
    words: ['gateways', 'get'],
    args: ['gatewayId'],
    options: [],
    summary: 'Show one gateway account',
    build: ({ args }) => ({ method: 'GET', path: `${GATEWAYS}/${segment(args[0])}` }),
  },
  {
    words: ['gateways', 'create'],
    args: [],
    options: GATEWAY_FLAGS,
    summary: 'Create a gateway account (--name and --type required)',
    build: ({ values, env }) => {
      const body = gatewayBody(values, env);
      if (body.name === undefined) required(undefined, 'name');
      if (body.type === undefined) required(undefined, 'type');
      return { method: 'POST', path: GATEWAYS, body };
    },
  },
  {
    words: ['gateways', 'update'],
    args: ['gatewayId'],
    options: [...GATEWAY_FLAGS, 'if-match'],
    summary: 'Change a gateway account (JSON Merge Patch of the given fields)',
    build: ({ args, values, env }) => {
      const body = gatewayBody(values, env);
      if (Object.keys(body).length === 0) throw new UsageError('nothing to update: give at least one field');
      return { method: 'PATCH', path: `${GATEWAYS}/${segment(args[0])}`, body, ...ifMatch(values) };
    },
  },
  {
    words: ['gateways', 'delete'],
    args: ['gatewayId'],
    options: ['if-match'],
    summary: 'Delete a gateway account (refused while identity stores link it)',
    build: ({ args, values }) => ({
      method: 'DELETE',
      path: `${GATEWAYS}/${segment(args[0])}`,
      ...ifMatch(values),
    }),
  },
  {
    words: ['gateways', 'test'],
    args: ['gatewayId'],
    options: ['phone'],
    summary: 'Send a short test message through a gateway (--phone required)',
    build: ({ args, values }) => ({
      method: 'POST',
      path: `${GATEWAYS}/${segment(args[0])}/test`,
      body: { phoneNumber: required(values.phone, 'phone') } satisfies TestGatewayBody,
    }),
  },
  {
    words: ['stores', 'list'],
    args: [],
    options: ['limit', 'next-token'],
    summary: 'List identity stores (one page; pass nextToken back with --next-token)',
    build: ({ values }) => ({ method: 'GET', path: STORES, query: listQuery(values) }),
  },
  {
    words: ['stores', 'get'],
    args: ['storeId'],
    options: [],
    summary: 'Show one identity store',
    build: ({ args }) => ({ method: 'GET', path: `${STORES}/${segment(args[0])}` }),
  },
  {
    words: ['stores', 'create'],
    args: [],
    options: ['name', 'json'],
    summary: 'Create an identity store: --name, and optionally the rest of the body as --json',
    build: ({ values }) => {
      const body = {
        ...jsonObject(values.json),
        ...(values.name !== undefined ? { name: values.name } : {}),
      };
      if (body.name === undefined) required(undefined, 'name');
      return { method: 'POST', path: STORES, body };
    },
  },
  {
    words: ['stores', 'update'],
    args: ['storeId'],
    options: ['name', 'json', 'if-match'],
    summary: 'Change an identity store with a JSON Merge Patch given as --json (null clears a field)',
    build: ({ args, values }) => {
      const body = {
        ...jsonObject(values.json),
        ...(values.name !== undefined ? { name: values.name } : {}),
      };
      if (Object.keys(body).length === 0) throw new UsageError('--json (a merge patch) is required');
      return { method: 'PATCH', path: `${STORES}/${segment(args[0])}`, body, ...ifMatch(values) };
    },
  },
  {
    words: ['stores', 'delete'],
    args: ['storeId'],
    options: ['if-match'],
    summary: 'Delete an identity store',
    build: ({ args, values }) => ({
      method: 'DELETE',
      path: `${STORES}/${segment(args[0])}`,
      ...ifMatch(values),
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
    options: ['name'],
    summary: 'Create an API key for a client application; the key is shown only in this answer',
    build: ({ args, values }) => ({
      method: 'POST',
      path: `${STORES}/${segment(args[0])}/api-keys`,
      body: { name: required(values.name, 'name') } satisfies CreateApiKeyBody,
    }),
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
];

export const GROUPS = [...new Set(COMMANDS.filter((c) => c.words.length > 1).map((c) => c.words[0]!))];
