import type { SmsSenders, OutboundSms } from '../../ports/sms-sender.ts';
import { SendFailure } from '../../ports/sms-sender.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { Clock } from '../../ports/clock.ts';
import { GatewayError } from '../errors.ts';
import type { GatewayCredentials, GatewayRecord } from '../gateways/gateway.ts';
import { linkedGatewayIds, type IdentityStore } from '../identity-stores/identity-store.ts';

export interface GatewayConnection {
  gateway: GatewayRecord;
  credentials: GatewayCredentials;
}

/** Gateways and their credentials by id (cached by the composition root). */
export interface GatewayDirectory {
  connection(gatewayId: string): Promise<GatewayConnection | undefined>;
}

export interface Delivered {
  gatewayId: string;
  providerMessageId: string;
}

/** Sends through the store's primary gateway, then its fallbacks in order, until one accepts. */
export class SmsDelivery {
  constructor(
    private readonly directory: GatewayDirectory,
    private readonly senders: SmsSenders,
    private readonly telemetry: Telemetry,
    private readonly clock: Clock,
  ) {}

  async send(store: IdentityStore, sms: OutboundSms): Promise<Delivered> {
    const reasons: string[] = [];
    for (const gatewayId of linkedGatewayIds(store)) {
      const connection = await this.directory.connection(gatewayId);
      const sender = connection && this.senders.forType(connection.gateway.type);
      if (!connection || !sender) {
        reasons.push(`${gatewayId}: not available`);
        continue;
      }
      const type = connection.gateway.type;
      const started = this.clock.now().getTime();
      try {
        const result = await sender.send(connection.gateway, connection.credentials, sms);
        this.telemetry.count('SmsSent', { gatewayType: type });
        this.telemetry.timing('ProviderLatency', this.clock.now().getTime() - started, { gatewayType: type });
        return { gatewayId, providerMessageId: result.providerMessageId };
      } catch (error) {
        if (!(error instanceof SendFailure)) throw error;
        this.telemetry.count('ProviderFailure', { gatewayType: type, kind: error.kind });
        reasons.push(`${connection.gateway.name}: ${error.reason}`);
      }
    }
    if (reasons.length === 0) throw new GatewayError('The identity store has no linked gateway.');
    throw new GatewayError(`Every linked gateway failed to accept the message (${reasons.join('; ')}).`);
  }
}
