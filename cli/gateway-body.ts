import type { UpdateGatewayBody } from '../shared/api/gateway-schemas.ts';
import { jsonObject, positiveInteger, secretValue, type OptionName, type OptionValues } from './args.ts';

/** The gateway flags, in help order. */
export const GATEWAY_FLAGS: OptionName[] = [
  'name',
  'type',
  'account-id',
  'username',
  'password',
  'password-env',
  'from',
  'gateway-url',
  'default',
  'proxy-host',
  'proxy-port',
  'proxy-username',
  'proxy-password',
  'proxy-password-env',
  'proxy-domain',
  'proxy-description',
  'json',
];

/**
 * The POST or PATCH body for a gateway: `--json` (if any) with the flags on top. For PATCH the proxy
 * flags form a merge patch of `proxy`, so `--proxy-port 8080` alone changes only the port.
 */
export function gatewayBody(values: OptionValues, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const body: Record<string, unknown> = { ...jsonObject(values.json) };
  // Keyed by the API's own field names: a misspelt or removed field fails the type check.
  const fields = {
    name: values.name,
    type: values.type,
    accountId: values['account-id'],
    username: values.username,
    password: secretValue(values.password, values['password-env'], env, 'password'),
    from: values.from,
    url: values['gateway-url'],
    isDefault: values.default ? true : undefined,
  } satisfies { [K in keyof UpdateGatewayBody]?: unknown };
  const proxy = {
    host: values['proxy-host'],
    port: positiveInteger(values['proxy-port'], 'proxy-port'),
    username: values['proxy-username'],
    password: secretValue(values['proxy-password'], values['proxy-password-env'], env, 'proxy-password'),
    domain: values['proxy-domain'],
    description: values['proxy-description'],
  } satisfies { [K in keyof NonNullable<UpdateGatewayBody['proxy']>]?: unknown };
  Object.assign(body, defined(fields));
  const proxyFlags = defined(proxy);
  if (Object.keys(proxyFlags).length > 0) {
    const base = typeof body.proxy === 'object' && body.proxy !== null ? body.proxy : {};
    body.proxy = { ...base, ...proxyFlags };
  }
  return body;
}

function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
