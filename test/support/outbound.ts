import type { LookupAddress } from 'node:dns';
import { OutboundGuard } from '../../shared/adapters/net/outbound-guard.ts';

/** The guard as local mode builds it: the fake providers and proxies listen on 127.0.0.1. */
export const LOOPBACK_GUARD = new OutboundGuard({ allowLoopback: true, allowCidrs: [] });

/**
 * A guard whose resolver knows only `answers` (an unknown name is ENOTFOUND, as from DNS): the tests see
 * which address a name was judged and connected by.
 */
export function guardResolving(
  answers: Record<string, LookupAddress[]>,
  options: { allowLoopback: boolean },
): OutboundGuard {
  return new OutboundGuard({
    allowLoopback: options.allowLoopback,
    allowCidrs: [],
    resolve: async (hostname) => {
      const found = answers[hostname];
      if (!found) throw Object.assign(new Error(`unknown ${hostname}`), { code: 'ENOTFOUND' });
      return found;
    },
  });
}
