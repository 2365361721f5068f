import type { Context } from '../context.ts';
import { outbound } from './outbound.ts';

/** Webhook and gateway URLs: loopback http only where fake providers and receivers run locally. */
export function urlPolicy(ctx: Context) {
  return {
    allowLoopbackHttp: ctx.strategies.loopback === 'allowed',
    hostProblem: (host: string) => outbound(ctx).hostProblem(host),
  };
}
