import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '../../ports/clock.ts';
import type { Random } from '../../ports/random.ts';
import type { OutboundSms, SendResult, SmsSender } from '../../ports/sms-sender.ts';
import type { GatewayRecord } from '../../domain/gateways/gateway.ts';

/**
 * The `console` gateway for local use: each message becomes one JSON line `{ at, gatewayId, to, body }`
 * (a call's line adds `channel: "voice"`, its body the spoken text)
 * in the outbox file, which is how a developer (or a test) reads the code.
 */
export class ConsoleSender implements SmsSender {
  constructor(
    private readonly outboxFile: string,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly print: (line: string) => void = () => undefined,
  ) {}

  async send(gateway: GatewayRecord, _credentials: unknown, sms: OutboundSms): Promise<SendResult> {
    const line = JSON.stringify({
      at: this.clock.now().toISOString(),
      gatewayId: gateway.id,
      to: sms.to,
      body: sms.body,
      // A call's line says so (api.md "Voice calls"); an SMS line keeps its shape.
      ...(sms.channel === 'voice' ? { channel: 'voice' } : {}),
    });
    await mkdir(dirname(this.outboxFile), { recursive: true });
    await appendFile(this.outboxFile, `${line}\n`, { mode: 0o600 });
    this.print(line);
    return { providerMessageId: `console-${this.random.bytes(8).toString('hex')}` };
  }
}
