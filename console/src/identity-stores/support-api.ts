import type { components } from '../../../client/src/index.ts';
import { admin, answer, op, ProblemError } from '../api.ts';

/**
 * The support desk's routes (api.md "Support desk"), typed here from api.md until openapi.json has them.
 * Each path is built from a documented parent path and used only when the typed client documents exactly
 * that path, so the console calls no route the API does not document; before it does, the call is a
 * problem the page shows. Once `npm run openapi` has them, `op['<their id>']` and the generated types
 * replace this file's types and look-up.
 */
export interface SupportUser {
  userId: string;
  /** api.md "User ids in logs": what the logs call this user. */
  userRef?: string;
  factor: {
    status: 'pending' | 'active';
    maskedPhone: string;
    verifiedAt?: string;
    lastUsedAt?: string;
    lockedUntil?: string;
  } | null;
  hasLastVerifiedNumber: boolean;
  recentChallenges: { id: string; purpose: string; status: string; maskedPhone: string; createdAt: string }[];
}

/** A webhook's delivery of one event (api.md "Support desk"), as openapi.json documents it. */
export type Delivery = components['schemas']['WebhookDelivery'];

type Method = 'GET' | 'POST';
// The client takes any documented path at run time; the types above stand in for the generated ones.
type UntypedCall = (
  path: string,
  options: { params: { path: Record<string, string>; query?: Record<string, unknown> }; body?: unknown },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

const STORE = op['identity-stores-get'];

/** The documented path `path` (a template, no values), if the typed client knows it. */
export function documentedPath(path: string): string | undefined {
  return Object.values(op as Record<string, string>).find((known) => known === path);
}

async function call<T>(
  method: Method,
  template: string,
  path: Record<string, string>,
  rest: { query?: Record<string, unknown>; body?: unknown } = {},
): Promise<T> {
  const found = documentedPath(template);
  if (!found) {
    throw new ProblemError({
      type: 'about:blank',
      title: 'Not available',
      status: 0,
      detail: 'This version of the admin API has no support desk routes yet.',
    });
  }
  const send = admin[method] as unknown as UntypedCall;
  return answer(
    send(found, { params: { path, ...(rest.query ? { query: rest.query } : {}) }, body: rest.body }),
  ) as Promise<T>;
}

export const getUser = (storeId: string, userId: string) =>
  call<SupportUser>('GET', `${STORE}/users/{userId}`, { storeId, userId });

export const resetSmsFactor = (storeId: string, userId: string, reason: string) =>
  call<undefined>(
    'POST',
    `${STORE}/users/{userId}/sms-factor/reset`,
    { storeId, userId },
    { body: { reason } },
  );

export const unlockUser = (storeId: string, userId: string) =>
  call<undefined>('POST', `${STORE}/users/{userId}/unlock`, { storeId, userId });

export const listDeliveries = (storeId: string, webhookId: string) =>
  answer(
    admin.GET(op['webhook-deliveries-list'], {
      params: { path: { storeId, webhookId }, query: { limit: 50 } },
    }),
  ).then((answered) => answered.items);

export const retryDelivery = (storeId: string, webhookId: string, deliveryId: string) =>
  answer(
    admin.POST(op['webhook-deliveries-retry'], { params: { path: { storeId, webhookId, deliveryId } } }),
  );
