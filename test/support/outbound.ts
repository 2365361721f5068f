import { OutboundGuard } from '../../shared/adapters/net/outbound-guard.ts';

/** The guard as local mode builds it: the fake providers and proxies listen on 127.0.0.1. */
export const LOOPBACK_GUARD = new OutboundGuard({ allowLoopback: true, allowCidrs: [] });
