import { clientIpKey } from '../domain/fraud/client-ip.ts';
import type { Channel } from '../domain/gateways/gateway-types.ts';
import type { SendOrigin } from '../domain/sending/send-plan.ts';
import type { ClientIdentity } from './middlewares.ts';

/**
 * A send route's origin for the fraud guard: the body's `clientIp` (never the caller's own address), and
 * the channel the caller asked for.
 */
export function sendOrigin(
  body: { clientIp?: string | undefined; channel?: Channel | undefined },
  client: ClientIdentity,
): SendOrigin {
  return {
    clientIp: body.clientIp === undefined ? null : clientIpKey(body.clientIp),
    applicationId: client.application?.id ?? null,
    source: null,
    ...(body.channel ? { channel: body.channel } : {}),
  };
}
