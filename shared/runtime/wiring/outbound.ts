import { OutboundGuard } from '../../adapters/net/outbound-guard.ts';
import type { RuntimeConfig } from '../config.ts';
import { feature } from '../context.ts';
import { chooseStrategies } from '../strategies.ts';

/** Local mode applies the same outbound rules, except that fake providers on loopback are reachable. */
export function outboundGuard(config: RuntimeConfig): OutboundGuard {
  return new OutboundGuard({
    allowLoopback: chooseStrategies(config).loopback === 'allowed',
    allowCidrs: config.outboundAllowCidrs,
  });
}

/** The outbound guard of the features that call out (providers, webhooks, URL checks). */
export const outbound = /* @__PURE__ */ feature('outbound', (ctx) => outboundGuard(ctx.config));
