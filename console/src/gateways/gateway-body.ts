import { GATEWAY_FIELDS, type GatewayField } from '../../../shared/domain/gateways/gateway-types.ts';
import type { CreateGatewayBody, Gateway, GatewayPatch, GatewayType, Shape } from '../types.ts';

/** The form as typed: every box a string, checkboxes booleans. */
export interface GatewayFormValues {
  name: string;
  type: string;
  accountId: string;
  username: string;
  password: string;
  callbackSecret: string;
  clearCallbackSecret: boolean;
  from: string;
  url: string;
  bodyTemplate: string;
  authScheme: string;
  clearPassword: boolean;
  isDefault: boolean;
  proxy: {
    host: string;
    port: string;
    domain: string;
    username: string;
    password: string;
    description: string;
    clearPassword: boolean;
  };
}

const PROXY_TEXT = ['host', 'domain', 'username', 'description'] as const;
/** custom-http's own fields (api.md "Additions"). */
export const CUSTOM_HTTP_FIELDS = ['bodyTemplate', 'authScheme'] as const;

export function formValues(gateway?: Gateway): GatewayFormValues {
  return {
    name: gateway?.name ?? '',
    type: gateway?.type ?? '',
    accountId: gateway?.accountId ?? '',
    username: gateway?.username ?? '',
    password: '',
    callbackSecret: '',
    clearCallbackSecret: false,
    from: gateway?.from ?? '',
    url: gateway?.url ?? '',
    bodyTemplate: gateway?.bodyTemplate ?? '',
    authScheme: gateway?.authScheme ?? '',
    clearPassword: false,
    isDefault: gateway?.isDefault ?? false,
    proxy: {
      host: gateway?.proxy?.host ?? '',
      port: gateway?.proxy ? String(gateway.proxy.port) : '',
      domain: gateway?.proxy?.domain ?? '',
      username: gateway?.proxy?.username ?? '',
      password: '',
      description: gateway?.proxy?.description ?? '',
      clearPassword: false,
    },
  };
}

const filled = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
const orNull = (value: string): string | null => filled(value) ?? null;

/** A port the API can check: a number when it is one, else the text as typed (the API names the field). */
const portValue = (text: string): number | string | undefined =>
  /^\d+$/.test(text.trim()) ? Number(text.trim()) : filled(text);

/** The generic fields the chosen type uses (the API's `fields`), then custom-http's own. */
export function usedFields(
  type: GatewayType | undefined,
): Array<GatewayField | 'bodyTemplate' | 'authScheme'> {
  if (!type) return [];
  const used: Array<GatewayField | 'bodyTemplate' | 'authScheme'> = GATEWAY_FIELDS.filter(
    (field) => type.fields[field] !== 'ignored',
  );
  return type.type === 'custom-http' ? [...used, ...CUSTOM_HTTP_FIELDS] : used;
}

const hasProxy = (values: GatewayFormValues) =>
  [...PROXY_TEXT, 'port', 'password'].some((key) =>
    filled(values.proxy[key as keyof typeof values.proxy] as string),
  );

/**
 * Whether the type's provider can send delivery receipts, signed with the gateway's `callbackSecret`
 * (api.md "Delivery receipts"): every type but the console's outbox and SNS, which sends none.
 */
export const takesCallbackSecret = (type: string): boolean =>
  type !== '' && type !== 'console' && type !== 'aws-sns';

function newProxy(values: GatewayFormValues): Shape<NonNullable<CreateGatewayBody['proxy']>> {
  const proxy: Shape<NonNullable<CreateGatewayBody['proxy']>> = {
    host: filled(values.proxy.host),
    port: portValue(values.proxy.port),
  };
  for (const key of ['domain', 'username', 'description'] as const) {
    if (filled(values.proxy[key])) proxy[key] = filled(values.proxy[key]);
  }
  if (values.proxy.password) proxy.password = values.proxy.password;
  return proxy;
}

/** `POST /admin/gateways`: only what was filled in, for the fields the type uses. */
export function createBody(values: GatewayFormValues, type: GatewayType | undefined): CreateGatewayBody {
  const body: Shape<CreateGatewayBody> = { name: values.name.trim(), type: values.type };
  for (const field of usedFields(type)) {
    const value = field === 'password' ? values.password || undefined : filled(values[field]);
    if (value !== undefined) body[field] = value;
  }
  if (values.callbackSecret && takesCallbackSecret(values.type)) body.callbackSecret = values.callbackSecret;
  if (values.isDefault) body.isDefault = true;
  if (hasProxy(values)) body.proxy = newProxy(values);
  return body as CreateGatewayBody;
}

/** `PATCH /admin/gateways/{id}` as a JSON Merge Patch: what changed, `null` for what was emptied. */
export function patchBody(
  values: GatewayFormValues,
  gateway: Gateway,
  type: GatewayType | undefined,
): GatewayPatch {
  const patch: Shape<GatewayPatch> = {};
  if (values.name.trim() !== gateway.name) patch.name = values.name.trim();
  if (values.type !== gateway.type) patch.type = values.type;
  for (const field of usedFields(type)) {
    if (field === 'password') continue;
    const now = orNull(values[field]);
    if (now !== (gateway[field] ?? null)) patch[field] = now;
  }
  if (values.password) patch.password = values.password;
  else if (values.clearPassword) patch.password = null;
  if (values.callbackSecret) patch.callbackSecret = values.callbackSecret;
  else if (values.clearCallbackSecret) patch.callbackSecret = null;
  if (values.isDefault !== gateway.isDefault) patch.isDefault = values.isDefault;

  const before = gateway.proxy;
  if (!hasProxy(values)) {
    if (before) patch.proxy = null;
  } else if (!before) {
    patch.proxy = newProxy(values);
  } else {
    const proxy: Shape<NonNullable<GatewayPatch['proxy']>> = {};
    const port = portValue(values.proxy.port);
    if (port !== before.port) proxy.port = port ?? null;
    for (const key of PROXY_TEXT) {
      const now = orNull(values.proxy[key]);
      if (now !== (before[key] ?? null)) proxy[key] = now;
    }
    if (values.proxy.password) proxy.password = values.proxy.password;
    else if (values.proxy.clearPassword) proxy.password = null;
    if (Object.keys(proxy).length) patch.proxy = proxy;
  }
  return patch as GatewayPatch;
}
