import { clientIpKey } from '../domain/fraud/client-ip.ts';
import type { SendOrigin } from '../domain/sending/send-plan.ts';
import type { ClientIdentity } from './middlewares.ts';

/** A send route's origin for the fraud guard: the body's `clientIp` (never the caller's own address). */
export function sendOrigin(
  body: { clientIp?: string | undefined; locale?: string | undefined },
  client: ClientIdentity,
): SendOrigin {
  const messageOptions = client.application?.messageOptions;
  return {
    clientIp: body.clientIp === undefined ? null : clientIpKey(body.clientIp),
    applicationId: client.application?.id ?? null,
    source: null,
    ...(body.locale === undefined ? {} : { locale: body.locale }),
    ...(messageOptions ? { messageOptions } : {}),
  };
}
