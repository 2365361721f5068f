import { SendFailure, type OutboundSms, type SmsSenders } from '../../ports/sms-sender.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { GatewayError, PhoneNotAllowed } from '../errors.ts';
import type { GatewayCredentials, GatewayRecord } from '../gateways/gateway.ts';
import { GATEWAY_TYPE_INFO, type Channel } from '../gateways/gateway-types.ts';
import { linkedGatewayIds, type IdentityStore } from '../identity-stores/identity-store.ts';
import { maskPhone } from '../phone.ts';
import { withSenderFor } from '../gateways/sender-ids.ts';
import type { GatewayHealth } from '../../ports/gateway-health.ts';
import { transportOutcome, type GatewayHealthPort } from '../gateways/gateway-breaker.ts';
import { ADDRESSED_RECEIPT_TYPES, type ReceiptAddresses } from '../deliveries/receipt-address.ts';
import { Deadline, MIN_ATTEMPT_MS } from './deadline.ts';
import type { GatewayPrices } from './prices.ts';

export interface GatewayConnection {
  gateway: GatewayRecord;
  credentials: GatewayCredentials;
}

/** Gateways and their credentials by id, cached; `fresh` skips the cache (after a provider's auth failure). */
export interface GatewayDirectory {
  connection(gatewayId: string, options?: { fresh?: boolean }): Promise<GatewayConnection | undefined>;
  /** The gateway's record alone (its type and prices), from the same cache: no credentials are read. */
  gateway(gatewayId: string): Promise<GatewayRecord | undefined>;
}

export interface Delivered {
  gatewayId: string;
  gatewayType: string;
  providerMessageId: string;
}

/** The gateway a further attempt goes through: it is charged at that gateway's prices. */
export interface AttemptTarget {
  gatewayId: string;
  prices: GatewayPrices;
}

/**
 * Counts provider requests against the send limits and budgets. The first attempt of a code is counted
 * by the write that issued it; every further attempt asks `count` first, and an attempt the provider
 * refused is handed back with `refund`. Without a ledger (test connection, notices) nothing is counted.
 */
export interface AttemptLedger {
  /**
   * False when a send limit refuses one more request; throws the send's answer when a refusal is the
   * send's own (a spend budget: `send-blocked`, as it is for a first attempt).
   */
  count(attempt: AttemptTarget): Promise<boolean>;
  /**
   * The count held (not yet used by a request) goes to this attempt: its budget charges follow this
   * gateway's price when it is not the one they were taken at. Throws the send's answer when a budget
   * refuses the difference.
   */
  carry?(attempt: AttemptTarget): Promise<void>;
  refund(): Promise<void>;
}

/** One provider request and what came of it (the event `code.sent` reports each). */
export interface AttemptReport {
  gatewayId: string;
  gatewayType: string;
  /** 1 for the first provider request of this send, 2 for the next (a fallback or a retry). */
  attempt: number;
  outcome: 'accepted' | 'refused' | 'unknown';
  providerMessageId?: string;
  /** The gateway's own prices, which this attempt is estimated at (send-plan.ts `costThrough`). */
  prices?: GatewayPrices;
}

/** How one message is delivered (the send plan's part of it: send-plan.ts). */
export interface DeliveryOptions {
  /** The gateways to try, in order; default: the store's linked gateways in their linked order. */
  order?: readonly string[];
  /** Told of every provider request as soon as its outcome is known. */
  onAttempt?: (report: AttemptReport) => void;
  ledger?: AttemptLedger;
  /** Whether the first attempt was already counted (by the issuing write). */
  firstCounted?: boolean;
  deadline?: Deadline;
  /** False for a test connection: it neither counts toward a gateway's health nor is steered by it. */
  health?: boolean;
}

/** Optional collaborators of the delivery (issue 26). */
export interface DeliveryExtras {
  /** Per-message receipt addresses (sinch, infobip, messagebird); absent: those types get none. */
  receiptAddresses?: Pick<ReceiptAddresses, 'forSend'>;
  /** Gateway health: open gateways are tried last, outcomes are recorded beside each attempt. */
  health?: GatewayHealthPort;
  /** Epoch ms; the health rules' clock. */
  now?: () => number;
}

const noLedger: AttemptLedger = { count: async () => true, refund: async () => undefined };

/**
 * Sends through a store's gateways in order, within one deadline. Each attempt is counted before it is
 * made. A refused attempt (the provider said no) is refunded; an auth refusal re-reads the credentials
 * once and tries the same gateway again. An unknown outcome (timeout, lost connection, 5xx) keeps its
 * count and is never repeated on the same gateway: the next fallback is tried. A number the provider
 * calls invalid, or opted out, stops the search: other providers would refuse it too, at a price.
 */
export class SmsDelivery {
  constructor(
    private readonly directory: GatewayDirectory,
    private readonly senders: SmsSenders,
    private readonly telemetry: Telemetry,
    private readonly providerTimeoutMs: number,
    /** The deployment's public URL: each message then names its receipt address (`/callbacks/{gatewayId}`). */
    private readonly callbackBase?: string,
    private readonly extras: DeliveryExtras = {},
  ) {}

  async send(store: IdentityStore, sms: OutboundSms, plan: DeliveryOptions = {}): Promise<Delivered> {
    return this.through(plan.order ?? linkedGatewayIds(store), sms, plan);
  }

  /**
   * Each linked gateway's channels and prices, from the cached directory, for the send plan: a call keeps
   * the gateways that can call, and a send is priced (and its budgets charged) at its first gateway's
   * price. Records only, never credentials: warm, no request; on a cold cache one read per gateway, in
   * parallel (docs/performance.md). A
   * gateway that cannot be read is left out: the plan then uses the store's price, and the delivery
   * reports that gateway when it gets to it.
   */
  async linkedGateways(gatewayIds: readonly string[]): Promise<LinkedGateways> {
    const gateways = await Promise.all(
      gatewayIds.map((id) => this.directory.gateway(id).catch(() => undefined)),
    );
    const channels: Record<string, readonly Channel[]> = {};
    const prices = new Map<string, GatewayPrices>();
    gatewayIds.forEach((id, i) => {
      const gateway = gateways[i];
      if (!gateway) return;
      channels[id] = GATEWAY_TYPE_INFO[gateway.type].channels;
      prices.set(id, gatewayPrices(gateway));
    });
    return { channels, prices };
  }

  async sendThrough(gatewayId: string, sms: OutboundSms, plan: DeliveryOptions = {}): Promise<Delivered> {
    return this.through([gatewayId], sms, plan);
  }

  private async through(
    gatewayIds: readonly string[],
    sms: OutboundSms,
    plan: DeliveryOptions,
  ): Promise<Delivered> {
    const deadline = plan.deadline ?? new Deadline();
    const ledger = plan.ledger ?? noLedger;
    const health = plan.health === false ? undefined : this.extras.health;
    const state: AttemptState = {
      counted: plan.firstCounted ?? false,
      reasons: [],
      attempts: 0,
      ...(plan.onAttempt ? { onAttempt: plan.onAttempt } : {}),
      ...(health ? { health } : {}),
    };
    try {
      for (const gatewayId of health ? await this.arranged(gatewayIds, health) : gatewayIds) {
        const result = await this.tryGateway(gatewayId, sms, deadline, ledger, state);
        if (result === 'stop') break;
        if (result !== 'next') return result;
      }
    } finally {
      if (!plan.deadline) deadline.end();
      // A count taken for an attempt that was never made is handed back.
      if (state.counted) await ledger.refund();
    }
    if (gatewayIds.length === 0) throw new GatewayError('The identity store has no linked gateway.');
    throw new GatewayError(`Every linked gateway failed to accept the message. ${state.reasons.join(' ')}`);
  }

  /**
   * Open gateways are tried only when no other is left: moved to the end, in their order. A half-open
   * gateway keeps its place for the one send that claims its trial; for every other it is open. A
   * snapshot read the routing facts started beside the send's write is waited for (no round trip of its
   * own), so a gateway opened elsewhere is skipped within 5 s.
   */
  private async arranged(gatewayIds: readonly string[], health: GatewayHealthPort): Promise<string[]> {
    const now = this.now();
    const snapshot = await health
      .health(gatewayIds, now, { wait: 'in-flight' })
      .catch(() => new Map<string, GatewayHealth>());
    const usable: string[] = [];
    const skipped: string[] = [];
    for (const gatewayId of gatewayIds) {
      const state = snapshot.get(gatewayId)?.state ?? 'closed';
      const usableNow =
        state === 'closed' ||
        (state === 'half-open' && (await health.claimTrial(gatewayId, now).catch(() => false)));
      (usableNow ? usable : skipped).push(gatewayId);
    }
    return [...usable, ...skipped];
  }

  private now(): number {
    return this.extras.now?.() ?? Date.now();
  }

  /** Beside the attempt: the answer never waits on the health record. */
  private recordHealth(state: AttemptState, gatewayId: string, failure: SendFailure | undefined): void {
    const outcome = transportOutcome(failure);
    if (!state.health || !outcome) return;
    this.telemetry.count('GatewayTransport', { gatewayId, outcome });
    state.health.record(gatewayId, outcome, this.now()).catch(() => undefined);
  }

  private async withCallback(sms: OutboundSms, gatewayId: string, gatewayType: string): Promise<OutboundSms> {
    if (!this.callbackBase) return sms;
    if (ADDRESSED_RECEIPT_TYPES.has(gatewayType)) {
      // Without its key the message goes out without a receipt address: receipts are a side path.
      const address = await this.extras.receiptAddresses
        ?.forSend(gatewayId, gatewayType)
        .catch(() => undefined);
      return address ? { ...sms, callbackUrl: address.url } : sms;
    }
    return {
      ...sms,
      callbackUrl: `${this.callbackBase.replace(/\/$/, '')}/callbacks/${encodeURIComponent(gatewayId)}`,
    };
  }

  /** One gateway: `next` when it did not take the message, `stop` when no gateway may be tried any more. */
  private async tryGateway(
    gatewayId: string,
    sms: OutboundSms,
    deadline: Deadline,
    ledger: AttemptLedger,
    state: AttemptState,
  ): Promise<Delivered | 'next' | 'stop'> {
    let connection = await this.directory.connection(gatewayId);
    const sender = connection && this.senders.forType(connection.gateway.type);
    if (!connection || !sender) {
      state.reasons.push(`Gateway ${gatewayId} is not available.`);
      return 'next';
    }
    const { gateway } = connection;
    for (let reread = false; ; reread = true) {
      const remaining = deadline.remainingMs();
      if (remaining < MIN_ATTEMPT_MS) {
        state.reasons.push('The send deadline passed.');
        return 'stop';
      }
      const target = { gatewayId, prices: gatewayPrices(gateway) };
      if (state.counted) {
        // A count held for another gateway (the plan's head, moved back by its health, or one that was
        // not available) pays for this attempt: at this gateway's price.
        await ledger.carry?.(target);
      } else {
        if (!(await ledger.count(target))) {
          state.reasons.push('The send limits allow no further attempt.');
          return 'stop';
        }
        state.counted = true;
      }
      const timeout = AbortSignal.timeout(Math.floor(Math.min(this.providerTimeoutMs, remaining)));
      const started = performance.now();
      try {
        const through = withSenderFor(gateway, sms.to);
        const outbound = await this.withCallback(sms, gatewayId, gateway.type);
        const result = await sender.send(through, connection.credentials, outbound, {
          signal: AbortSignal.any([deadline.signal, timeout]),
        });
        state.counted = false;
        this.recordHealth(state, gatewayId, undefined);
        state.onAttempt?.({
          gatewayId,
          gatewayType: gateway.type,
          prices: gatewayPrices(gateway),
          attempt: ++state.attempts,
          outcome: 'accepted',
          providerMessageId: result.providerMessageId,
        });
        this.telemetry.count('ProviderSend', { gatewayType: gateway.type });
        this.telemetry.timing('ProviderLatency', performance.now() - started, { gatewayType: gateway.type });
        return { gatewayId, gatewayType: gateway.type, providerMessageId: result.providerMessageId };
      } catch (error) {
        const failure =
          error instanceof SendFailure
            ? error
            : new SendFailure('unavailable', 'the provider adapter failed unexpectedly', 'unknown');
        if (failure.outcome === 'refused') await ledger.refund();
        state.counted = false;
        this.recordHealth(state, gatewayId, failure);
        state.onAttempt?.({
          gatewayId,
          gatewayType: gateway.type,
          prices: gatewayPrices(gateway),
          attempt: ++state.attempts,
          outcome: failure.outcome,
        });
        this.report(gateway, failure, sms);
        if (failure.kind === 'invalid-number') {
          throw new PhoneNotAllowed(`The SMS provider refused the number: ${failure.reason}`);
        }
        if (failure.kind === 'opted-out') {
          throw new PhoneNotAllowed('The number has opted out of messages from this sender.', {
            reason: 'opted-out',
          });
        }
        if (failure.kind === 'auth' && failure.outcome === 'refused' && !reread) {
          const fresh = await this.directory.connection(gatewayId, { fresh: true });
          if (fresh) connection = fresh;
          continue;
        }
        state.reasons.push(`${gateway.name}: ${describe(failure)}`);
        return 'next';
      }
    }
  }

  private report(gateway: GatewayRecord, failure: SendFailure, sms: OutboundSms): void {
    this.telemetry.count('ProviderFailure', { gatewayType: gateway.type, kind: failure.kind });
    this.telemetry.warn('provider refused or failed', {
      gatewayId: gateway.id,
      gatewayType: gateway.type,
      kind: failure.kind,
      outcome: failure.outcome,
      reason: failure.reason,
      ...(failure.providerCode ? { providerCode: failure.providerCode } : {}),
      to: maskPhone(sms.to),
    });
  }
}

interface AttemptState {
  /** A count is held that no attempt has used yet. */
  counted: boolean;
  reasons: string[];
  attempts: number;
  onAttempt?: (report: AttemptReport) => void;
  health?: GatewayHealthPort;
}

function describe(failure: SendFailure): string {
  const code = failure.providerCode ? ` (provider code ${failure.providerCode})` : '';
  return `${failure.reason}${code}`;
}

/** What the send plan reads of the linked gateways (SmsDelivery.linkedGateways). */
export interface LinkedGateways {
  channels: Readonly<Record<string, readonly Channel[]>>;
  prices: ReadonlyMap<string, GatewayPrices>;
}

function gatewayPrices(gateway: GatewayRecord): GatewayPrices {
  return {
    ...(gateway.pricePerSegment ? { pricePerSegment: gateway.pricePerSegment } : {}),
    ...(gateway.pricePerCall ? { pricePerCall: gateway.pricePerCall } : {}),
    ...(gateway.priceCurrency ? { priceCurrency: gateway.priceCurrency } : {}),
  };
}
