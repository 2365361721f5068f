import { guardedAgent, request, type Agent } from '../net/undici-dispatch.ts';
import type { WebhookTransport } from '../../ports/webhook-repository.ts';
import type { OutboundGuard } from '../net/outbound-guard.ts';

/**
 * Webhook POSTs through the outbound guard (host names resolved and judged at connect time, the judged
 * address used); undici's request() follows no redirect, so a 3xx is an answer (a failure). Any
 * transport failure or the timeout is "no answer".
 */
export class WebhookHttp implements WebhookTransport {
  private readonly agent: Agent;

  constructor(
    private readonly timeoutMs: number,
    guard: OutboundGuard,
  ) {
    this.agent = guardedAgent(guard, { timeoutMs, keepAliveTimeoutMs: 10_000 });
  }

  async post(url: string, headers: Record<string, string>, body: string) {
    try {
      const response = await request(url, {
        method: 'POST',
        headers: { 'user-agent': 'sms-mfa-webhooks', ...headers },
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The body is not read beyond this: only the status matters.
      await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      return { status: response.statusCode };
    } catch {
      return { status: undefined };
    }
  }
}
