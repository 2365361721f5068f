import { createHash } from 'node:crypto';
import type { Clock } from '../../ports/clock.ts';
import type { EventPort } from '../../ports/events.ts';
import type { Random } from '../../ports/random.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { SendAttemptLedger, countSend } from '../challenges/send-ledger.ts';
import { keyedPhone, type Pepper } from '../codes/pepper.ts';
import { PhoneNotAllowed, RateLimited, Unauthorized } from '../errors.ts';
import type { Idempotency } from '../idempotency.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import type { IntegrationKind } from '../integrations/integration.ts';
import { blockedError, evaluateFraudGuard } from '../fraud/fraud-guard.ts';
import { withBudgetCharges } from '../fraud/fraud-windows.ts';
import { maskPhone } from '../phone.ts';
import type { Channel } from '../gateways/gateway-types.ts';
import { voiceOf } from '../voice/voice-settings.ts';
import { Deadline } from '../sending/deadline.ts';
import { limitMessage, type LimitName } from '../sending/send-windows.ts';
import { sendablePhone } from '../sending/send-guards.ts';
import { attemptCounts, callOf, planSend, SHARD_SEED_RANGE, type SendPlan } from '../sending/send-plan.ts';
import type { AttemptReport, SmsDelivery } from '../sending/sms-delivery.ts';
import { codeSentData } from '../challenges/challenge-events.ts';
import { attemptRoute, type Route } from '../sending/route-choice.ts';
import type { RoutingFactsSource } from '../sending/routing-facts.ts';
import { gatewayFacts } from '../challenges/issue-code.ts';

/** A code an identity provider generated, to be delivered as it is (nothing of it is stored). */
export interface RelayRequest {
  storeId: string;
  integrationId: string;
  source: IntegrationKind;
  /** The number as the provider sent it. */
  to: string;
  /** `sms`, `voice` (a call speaking the store's voice template), or whatever else (refused). */
  channel: string;
  /** The provider's own text with the code in it; without it, the store's template with `code`. */
  text?: string;
  code?: string;
  /** The provider's event id (Standard Webhooks `webhook-id`, Okta `eventId`): one send per id. */
  eventId?: string;
  /** The provider's language for the user: picks the store's template (SMS or spoken) where that is what is sent. */
  locale?: string;
}

/** What was sent, for the provider's answer and for a `code.sent` event (`source` is the kind). */
export interface RelayResult {
  storeId: string;
  integrationId: string;
  source: IntegrationKind;
  maskedPhone: string;
  gatewayId: string;
  gatewayType: string;
  providerMessageId: string;
  /** True when the same event id was relayed before: nothing was sent this time. */
  replayed: boolean;
}

export interface RelayDeps {
  /** Cached store configuration. */
  stores: { get(id: string): Promise<IdentityStore | undefined> };
  counters: SendCounters;
  delivery: Pick<SmsDelivery, 'send'> & Partial<Pick<SmsDelivery, 'linkedGateways'>>;
  idempotency: Idempotency;
  /** The deployment's voice switch (CDK context `voiceAllowed`); absent: no calls. */
  voiceAllowed?: boolean;
  pepper: Pepper;
  clock: Clock;
  random: Random;
  telemetry: Telemetry;
  /** Fraud-guard events (`send.blocked`, `send.flagged`) and `code.sent` (with `source`) of relayed sends. */
  events?: EventPort;
  /** Health and `byCountry` order the relay too (relayed codes use no rates); absent: linked order. */
  routing?: RoutingFactsSource;
}

/**
 * Delivers an identity provider's code through the store's gateways with the guards of every send:
 * the number (parsing, type, allowed countries), the send limits (counted per attempt, as resends are),
 * the fraud guard and spend limits (a relayed code is never approved here, so its send stays unverified),
 * failover and the deadline. No challenge is created and no code is stored or logged.
 */
export class RelayCode {
  constructor(private readonly deps: RelayDeps) {}

  async run(request: RelayRequest): Promise<RelayResult> {
    if (request.channel !== 'sms' && request.channel !== 'voice') {
      throw new PhoneNotAllowed('Only SMS and voice calls are delivered; this request asked for another.', {
        reason: 'channel',
      });
    }
    // A deleted store's integration is no integration: the same answer as an unknown one.
    const store = await this.deps.stores.get(request.storeId);
    if (!store) throw new Unauthorized();
    const channel: Channel = request.channel === 'voice' ? 'voice' : 'sms';
    // Without calls (or without a code to speak) a voice request gets the answer it got before calls existed.
    const callable = (this.deps.voiceAllowed ?? false) && voiceOf(store).enabled && !!request.code;
    if (channel === 'voice' && !callable) {
      throw new PhoneNotAllowed('Voice calls are not available for this identity store.', {
        reason: 'channel',
      });
    }
    const phone = sendablePhone(store, request.to, channel);
    const { clock, random } = this.deps;
    const now = clock.now().getTime();
    const origin = {
      clientIp: null,
      applicationId: null,
      source: request.source,
      channel,
      ...(request.locale ? { locale: request.locale } : {}),
    };
    const [routing, gateways] = await Promise.all([
      this.deps.routing?.facts(store, now),
      gatewayFacts(this.deps, { store, origin }),
    ]);
    const plan = planSend({
      store,
      phone,
      purpose: 'relay',
      origin,
      ...gateways,
      pointer: undefined,
      factor: undefined,
      // A call speaks the store's voice template with the provider's code, never the provider's text.
      relayed:
        channel === 'voice'
          ? { text: undefined, code: request.code }
          : { text: request.text, code: request.code },
      now,
      shardSeed: random.int(SHARD_SEED_RANGE),
      ...(routing ? { routing } : {}),
    });
    if (request.eventId === undefined) return this.send(request, plan);
    // The key names the integration, so two integrations (or providers) never share an event id.
    const key = `relay:${request.integrationId}:${request.eventId}`;
    const text = plan.message.template;
    const fingerprint = createHash('sha256').update(`${phone.e164}\n${text}`).digest('base64url');
    const { response, replayed } = await this.deps.idempotency.run(store.id, key, fingerprint, async () => ({
      status: 200,
      headers: {},
      body: JSON.stringify(await this.send(request, plan)),
    }));
    return { ...(JSON.parse(response.body) as RelayResult), replayed };
  }

  /** Executes the plan: count (and settle a refusal), then deliver within its deadline. */
  private async send(request: RelayRequest, plan: SendPlan): Promise<RelayResult> {
    const { counters, clock } = this.deps;
    const { store, phone, now } = plan;
    const phoneKey = await keyedPhone(this.deps.pepper, phone.e164);
    const scope = { storeId: store.id, phoneKey };
    const [counted, fraud] = await Promise.all([
      countSend(counters, scope, plan),
      evaluateFraudGuard(this.deps, store, phone, phoneKey, plan.fraud),
    ]);
    if (!counted.ok || fraud.blocked) {
      // A refused relay leaves no count behind, whichever guard refused it.
      const held = [...(counted.ok ? counted.taken : []), ...fraud.taken];
      if (held.length > 0) await counters.refund(store.id, phoneKey, held);
    }
    if (fraud.blocked) throw blockedError(fraud.blocked, now);
    if (!counted.ok) {
      // countSend counts only the send windows (per phone, per store), never a fraud-guard limit.
      const limit = counted.refused.limit as LimitName;
      const endsAt = counted.refused.endsAt;
      this.deps.telemetry.count('SendRefused', { reason: limit });
      throw new RateLimited(limitMessage(limit), (endsAt - now) / 1000);
    }
    const ledger = new SendAttemptLedger(
      this.deps,
      {
        ...scope,
        store,
        phone,
        counts: (prices) => attemptCounts(plan, clock.now().getTime(), prices),
        now: () => clock.now().getTime(),
      },
      // The first attempt holds its budget charges too: a refusal hands them back.
      withBudgetCharges(counted.taken, fraud),
      plan.gateways[0],
    );
    const deadline = new Deadline(plan.deadlineMs);
    const text = plan.message.template;
    try {
      const delivered = await this.deps.delivery.send(
        store,
        { to: phone.e164, body: text, ...callOf(plan) },
        {
          order: plan.gateways,
          ledger,
          firstCounted: true,
          deadline,
          onAttempt: (report) => this.sent(request, plan, text, report, attemptRoute(plan, report.gatewayId)),
        },
      );
      this.deps.telemetry.count('CodeRelayed', { source: request.source });
      return {
        storeId: store.id,
        integrationId: request.integrationId,
        source: request.source,
        maskedPhone: maskPhone(phone.e164),
        ...delivered,
        replayed: false,
      };
    } finally {
      deadline.end();
    }
  }

  /** `code.sent` for each provider request, as a challenge's send has: no challenge, the integration instead. */
  private sent(
    request: RelayRequest,
    plan: SendPlan,
    text: string,
    report: AttemptReport,
    route: Route,
  ): void {
    const { phone } = plan;
    const base = {
      storeId: request.storeId,
      integrationId: request.integrationId,
      maskedPhone: maskPhone(phone.e164),
      ...(phone.country ? { country: phone.country } : {}),
    };
    const cost = { cost: plan.costThrough(report.prices), currency: plan.store.spendLimits.currency };
    // The voice-spend alarm's metric follows the budgets: each call the provider did not refuse.
    if (plan.channel === 'voice' && report.outcome !== 'refused') {
      this.deps.telemetry.count('VoiceSpend', { country: phone.country ?? 'unknown' }, cost.cost / 1_000_000);
    }
    this.deps.events?.emit(
      'code.sent',
      codeSentData(base, text, report, { source: request.source, ...cost, route, channel: plan.channel }),
    );
  }
}
