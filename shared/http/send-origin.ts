import { clientIpKey } from '../domain/fraud/client-ip.ts';
import type { Channel } from '../domain/gateways/gateway-types.ts';
import type { SendOrigin } from '../domain/sending/send-plan.ts';
import type { ClientIdentity } from './middlewares.ts';

/**
 * A send route's origin for the fraud guard: the body's `clientIp` (never the caller's own address), the
 * language and the channel the caller asked for, and the application's autofill lines.
 */
export function sendOrigin(
  body: { clientIp?: string | undefined; locale?: string | undefined; channel?: Channel | undefined },
  client: ClientIdentity,
): SendOrigin {
  const messageOptions = client.application?.messageOptions;
  return {
    clientIp: body.clientIp === undefined ? null : clientIpKey(body.clientIp),
    applicationId: client.application?.id ?? null,
    source: null,
    ...(body.locale === undefined ? {} : { locale: body.locale }),
    ...(messageOptions ? { messageOptions } : {}),
    ...(body.channel ? { channel: body.channel } : {}),
  };
}
