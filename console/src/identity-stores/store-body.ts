import {
  DEFAULT_CODE_POLICY,
  DEFAULT_MESSAGE_TEMPLATE,
  DEFAULT_SEND_LIMITS,
} from '../../../shared/domain/identity-stores/identity-store.ts';
import type { CreateStoreBody, IdentityStore, Shape, StorePatch } from '../types.ts';
import { templateRow, templatesOf, templatesPatch, type TemplateRow } from './message-templates.tsx';

export const CODE_POLICY_KEYS = [
  'length',
  'ttlSeconds',
  'maxAttempts',
  'resendIntervalSeconds',
] as const satisfies (keyof NonNullable<CreateStoreBody['codePolicy']>)[];
export const SEND_LIMIT_KEYS = [
  'perPhonePer10Minutes',
  'perPhonePerDay',
  'perStorePerDay',
] as const satisfies (keyof NonNullable<CreateStoreBody['sendLimits']>)[];
type CodePolicyKey = (typeof CODE_POLICY_KEYS)[number];
type SendLimitKey = (typeof SEND_LIMIT_KEYS)[number];

/** The form as typed; numbers stay text until sent, so that the API can name a bad one. */
export interface StoreFormValues {
  name: string;
  enabled: boolean;
  gatewayId: string;
  fallbackGatewayIds: string[];
  messageTemplate: string;
  messageTemplates: TemplateRow[];
  enforcedRoles: string;
  codePolicy: Record<CodePolicyKey, string>;
  sendLimits: Record<SendLimitKey, string>;
  allowedCountries: string;
  /** `voice.enabled` and `voice.allowedCountries` (issue 29); the rest of `voice` keeps its values. */
  voiceEnabled: boolean;
  voiceCountries: string;
}

const texts = <K extends string>(numbers: Record<K, number>): Record<K, string> =>
  Object.fromEntries(Object.entries(numbers).map(([key, value]) => [key, String(value)])) as Record<
    K,
    string
  >;

/** A store's values, or a new store's defaults (the domain's) with the default gateway preselected. */
export function storeValues(
  store: IdentityStore | undefined,
  defaultGatewayId: string | undefined,
): StoreFormValues {
  return {
    name: store?.name ?? '',
    enabled: store?.smsAuth.enabled ?? false,
    gatewayId: store ? (store.smsAuth.gatewayId ?? '') : (defaultGatewayId ?? ''),
    fallbackGatewayIds: store?.smsAuth.fallbackGatewayIds ?? [],
    messageTemplate: store?.smsAuth.messageTemplate ?? DEFAULT_MESSAGE_TEMPLATE,
    messageTemplates: Object.entries(store?.smsAuth.messageTemplates ?? {}).map(([tag, text]) =>
      templateRow(tag, text),
    ),
    enforcedRoles: (store?.smsAuth.enforcedRoles ?? []).join(', '),
    codePolicy: texts(store?.codePolicy ?? DEFAULT_CODE_POLICY),
    sendLimits: texts(store?.sendLimits ?? DEFAULT_SEND_LIMITS),
    allowedCountries: (store?.allowedCountries ?? []).join(', '),
    voiceEnabled: store?.voice?.enabled ?? false,
    voiceCountries: (store?.voice?.allowedCountries ?? []).join(', '),
  };
}

const number = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text);
const list = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);

/** The whole settings object the form shows, as the API takes it. */
function settings(values: StoreFormValues) {
  return {
    name: values.name.trim(),
    smsAuth: {
      enabled: values.enabled,
      gatewayId: values.gatewayId || null,
      fallbackGatewayIds: values.fallbackGatewayIds,
      messageTemplate: values.messageTemplate,
      messageTemplates: templatesOf(values.messageTemplates),
      enforcedRoles: list(values.enforcedRoles),
    } satisfies Shape<NonNullable<CreateStoreBody['smsAuth']>>,
    codePolicy: Object.fromEntries(CODE_POLICY_KEYS.map((key) => [key, number(values.codePolicy[key])])),
    sendLimits: Object.fromEntries(SEND_LIMIT_KEYS.map((key) => [key, number(values.sendLimits[key])])),
    allowedCountries: list(values.allowedCountries).map((code) => code.toUpperCase()),
    voice: {
      enabled: values.voiceEnabled,
      allowedCountries: list(values.voiceCountries).map((code) => code.toUpperCase()),
    },
  } satisfies Shape<CreateStoreBody>;
}

export const createStoreBody = (values: StoreFormValues): CreateStoreBody =>
  settings(values) as CreateStoreBody;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** JSON Merge Patch of what changed: nested objects member by member, arrays whole. */
export function patchStoreBody(values: StoreFormValues, store: IdentityStore): StorePatch {
  const next = settings(values);
  const patch: Shape<StorePatch> = {};
  if (next.name !== store.name) patch.name = next.name;
  for (const group of ['smsAuth', 'codePolicy', 'sendLimits', 'voice'] as const) {
    const before = (store[group] ?? {}) as Record<string, unknown>;
    const changed = Object.entries(next[group]).filter(([key, value]) => !same(value, before[key]));
    if (changed.length) patch[group] = Object.fromEntries(changed);
  }
  // Languages merge one by one: a removed language is sent as null, an unchanged one not at all.
  const templates = templatesPatch(values.messageTemplates, store.smsAuth.messageTemplates);
  const smsAuth = patch.smsAuth as Record<string, unknown> | undefined;
  if (smsAuth) {
    if (templates) smsAuth.messageTemplates = templates;
    else delete smsAuth.messageTemplates;
    if (Object.keys(smsAuth).length === 0) delete patch.smsAuth;
  }
  if (!same(next.allowedCountries, store.allowedCountries)) patch.allowedCountries = next.allowedCountries;
  return patch as StorePatch;
}
