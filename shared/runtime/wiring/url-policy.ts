import type { Context } from '../context.ts';

/** Webhook and gateway URLs: loopback http only where fake providers and receivers run locally. */
export function urlPolicy(ctx: Context) {
  return {
    allowLoopbackHttp: ctx.strategies.loopback === 'allowed',
    hostProblem: (host: string) => ctx.outbound().hostProblem(host),
  };
}
