import type { Clock } from '../../ports/clock.ts';
import { SendFailure, type OutboundSms, type SmsSenders } from '../../ports/sms-sender.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { GatewayError, PhoneNotAllowed } from '../errors.ts';
import type { GatewayCredentials, GatewayRecord } from '../gateways/gateway.ts';
import { linkedGatewayIds, type IdentityStore } from '../identity-stores/identity-store.ts';
import { maskPhone } from '../phone.ts';

export interface GatewayConnection {
  gateway: GatewayRecord;
  credentials: GatewayCredentials;
}

/** Gateways and their credentials by id, cached; `fresh` skips the cache (after a provider's auth failure). */
export interface GatewayDirectory {
  connection(gatewayId: string, options?: { fresh?: boolean }): Promise<GatewayConnection | undefined>;
}

export interface Delivered {
  gatewayId: string;
  providerMessageId: string;
}

const RETRYABLE = new Set(['unavailable', 'throttled']);

/**
 * Sends through one gateway with its recovery rules, and through a store's gateways in order:
 * a retryable failure (timeout, 5xx, throttling) is retried once; an auth failure re-reads the
 * credentials once (they may have been rotated); then the next fallback gateway is tried. A number the
 * provider calls invalid stops the search: other providers would refuse it too, at a price.
 */
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
      try {
        return await this.sendThrough(gatewayId, sms);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        reasons.push(error.message);
      }
    }
    if (reasons.length === 0) throw new GatewayError('The identity store has no linked gateway.');
    throw new GatewayError(`Every linked gateway failed to accept the message. ${reasons.join(' ')}`);
  }

  async sendThrough(gatewayId: string, sms: OutboundSms): Promise<Delivered> {
    let connection = await this.directory.connection(gatewayId);
    const sender = connection && this.senders.forType(connection.gateway.type);
    if (!connection || !sender) throw new GatewayError(`Gateway ${gatewayId} is not available.`);
    const type = connection.gateway.type;
    let retried = false;
    let reread = false;
    for (;;) {
      const started = this.clock.now().getTime();
      try {
        const result = await sender.send(connection.gateway, connection.credentials, sms);
        this.telemetry.count('ProviderSend', { gatewayType: type });
        this.telemetry.timing('ProviderLatency', this.clock.now().getTime() - started, { gatewayType: type });
        return { gatewayId, providerMessageId: result.providerMessageId };
      } catch (error) {
        if (!(error instanceof SendFailure)) throw error;
        this.telemetry.count('ProviderFailure', { gatewayType: type, kind: error.kind });
        this.telemetry.warn('provider refused or failed', {
          gatewayId,
          gatewayType: type,
          kind: error.kind,
          reason: error.reason,
          to: maskPhone(sms.to),
        });
        if (error.kind === 'invalid-number') {
          throw new PhoneNotAllowed(`The SMS provider refused the number: ${error.reason}`);
        }
        if (error.kind === 'auth' && !reread) {
          reread = true;
          const fresh = await this.directory.connection(gatewayId, { fresh: true });
          if (fresh) connection = fresh;
          continue;
        }
        if (RETRYABLE.has(error.kind) && !retried) {
          retried = true;
          continue;
        }
        throw new GatewayError(`${connection.gateway.name}: ${error.reason}`);
      }
    }
  }
}
