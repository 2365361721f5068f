import { COGNITO_PROVIDER_BUDGET_MS } from '../cognito-auth/cognito-auth.ts';
import { PhoneNotAllowed } from '../errors.ts';
import type { ChallengePurpose } from '../challenges/challenge.ts';
import type { FactorRecord, SendPointer } from '../factors/factor.ts';
import type { FraudPlan, PlannedWindow } from '../fraud/fraud-windows.ts';
import { toMillionths } from '../fraud/spend.ts';
import {
  linkedGatewayIds,
  type IdentityStore,
  type SendLimits,
  type SpendLimits,
} from '../identity-stores/identity-store.ts';
import type { Channel } from '../gateways/gateway-types.ts';
import type { PhoneNumber } from '../phone.ts';
import { routingOf } from '../identity-stores/routing-settings.ts';
import { NO_ROUTING_FACTS, routeSend, type Route, type RoutingFacts } from './route-choice.ts';
import { messageInfo, renderTemplate, templateInfo } from '../sms-encoding.ts';
import { templateFor } from '../messages/locale.ts';
import { withAutofillLines, type MessageOptions } from '../messages/message-options.ts';
import { estimatedCost, type GatewayPrices } from './prices.ts';
import { planVoice, voicePhoneWindow, type VoiceDecision } from '../voice/voice-plan.ts';
import type { VoiceSettings } from '../voice/voice-settings.ts';
import { renderSpoken } from '../voice/spoken-text.ts';
import { OKTA_PROVIDER_BUDGET_MS, PROVIDER_BUDGET_MS } from './deadline.ts';
import {
  classifyNumber,
  NUMBER_TREATMENT,
  testCodeDigestOf,
  TRUSTED_SENDS_PER_DAY,
  type NumberClass,
  type NumberTreatment,
} from './number-class.ts';
import {
  DAY_MS,
  MAX_STORE_SHARDS,
  TEN_MINUTES_MS,
  type CounterWindow,
  type FraudLimit,
} from './send-windows.ts';

/**
 * The send plan: every decision about one send, taken in one place before anything is written (issue 24).
 * "May this send go, and what does it count?" is answered here and nowhere else; the issuer
 * (challenges/issue-code.ts) and the relay (relay/relay-code.ts) only execute a plan: write, count,
 * deliver, settle. Later features (routing by conversion, localized and autofill-ready messages, voice)
 * add facts and decisions here; the executors stay as they are.
 */

/** A challenge's purpose, or `relay`: an identity provider's own code, delivered as it is. */
export type SendPurpose = ChallengePurpose | 'relay';

/** Where a send comes from: the fraud guard's per-address and per-application counts, and `code.sent`. */
export interface SendOrigin {
  /** Already canonical (clientIpKey()); null: the caller named no address, so none is counted. */
  clientIp: string | null;
  /** The API key's application; null for a store-level key (they share one count). */
  applicationId: string | null;
  /** Who asked, when not a `/v1` route: `cognito`, `okta`, ... (`code.sent` carries it). */
  source: string | null;
  /** The language the message is wanted in (a `/v1` body's or an identity provider's `locale`). */
  locale?: string;
  /** The autofill lines of the caller's application; absent for a store-level key. */
  messageOptions?: MessageOptions;
  /** How the caller asked for the code to go; default `sms`. */
  channel?: Channel;
}

/** A `/v1` route's origin when the caller tells nothing of it. */
export const NO_ORIGIN: SendOrigin = { clientIp: null, applicationId: null, source: null };

/** Everything a send is decided on, read before it. */
export interface SendFacts {
  /** The identity store as the caller's application sees it (its own policy, if it has one). */
  store: IdentityStore;
  phone: PhoneNumber;
  purpose: SendPurpose;
  origin: SendOrigin;
  /** The target's live pointer as read (a user's per purpose, or the phone's); none for a relay. */
  pointer: SendPointer | undefined;
  factor: FactorRecord | undefined;
  /** What an identity provider asked to send (purpose `relay` only): its own text, else its code. */
  relayed?: { text: string | undefined; code: string | undefined };
  now: number;
  /** A uniform draw in [0, SHARD_SEED_RANGE): where each sharded count starts. */
  shardSeed: number;
  /** The prices of the linked gateways the caller already holds (cached); a missing one: the store's. */
  gatewayPrices?: ReadonlyMap<string, GatewayPrices>;
  /** Rates, health and the routing draws (route-choice.ts); absent: ordered, nothing measured. */
  routing?: RoutingFacts;
  /** A reroute's own gateways, tried in this order in place of routing's (its first is priced). */
  order?: readonly string[];
  /** The deployment's voice switch (CDK context `voiceAllowed`); absent: no calls. */
  voiceAllowed?: boolean;
  /** Each linked gateway's channels (read for voice sends only); absent: none can call. */
  gatewayChannels?: Readonly<Record<string, readonly Channel[]>>;
}

/** The draw behind `shardSeed`; a multiple of every shard count up to 16, so each start is equally likely. */
export const SHARD_SEED_RANGE = 720_720;

/** What the challenge's hash is taken over, or what goes out as it is. */
export type CodeSource =
  | { kind: 'random'; length: number }
  /** A test number's fixed code, as the store keeps it: a keyed digest (never digits). */
  | { kind: 'fixed'; digest: string }
  /** An identity provider's code, inside the text it asked to send; nothing of it is stored. */
  | { kind: 'relayed' };

/** One count on a key spread over `shards` items, starting at the window's shard. */
export interface ShardedWindow {
  window: CounterWindow;
  shards: number;
}

/** The per-number and store-wide limits one provider request counts against (send-windows.ts). */
export interface SendCounts {
  /** Per-number windows: exact, one item each, inside the send's transaction. */
  windows: CounterWindow[];
  /** The store's day, beside the transaction on a shard; null: this number takes none. */
  storeDay: ShardedWindow | null;
  /** A call's own store day (`voice.perStorePerDay`), counted like `storeDay`; absent for an SMS. */
  voiceStoreDay?: ShardedWindow;
}

/**
 * The limits one provider request counts against (the first by the issuing write, further ones alone):
 * the send limits and every spend budget, charged the attempt's own cost.
 */
export interface AttemptCounts extends SendCounts {
  /** The spend budgets, each charged `amount`: the attempt's cost through its gateway (millionths). */
  budgets: PlannedWindow[];
}

export interface SendPlan extends SendCounts {
  store: IdentityStore;
  phone: PhoneNumber;
  purpose: SendPurpose;
  source: string | null;
  channel: Channel;
  /** A call's settings (its caps count every attempt); null for an SMS. */
  voice: VoiceSettings | null;
  now: number;
  numberClass: NumberClass;
  treatment: NumberTreatment;
  code: CodeSource;
  /** A new code for the live challenge (same number, not expired), else a new challenge. */
  resendOf: SendPointer | null;
  /** The challenge a new enrollment ends (the one it replaces), beside the delivery. */
  supersedes: string | null;
  /** The new code's expiry. */
  expiresAt: number;
  resendIntervalMs: number;
  /** Fraud-guard and spend windows, counted beside the transaction. */
  fraud: FraudPlan;
  /** The first attempt's cost (at the head gateway's price), in millionths of the store's currency; 0 when nothing is sent. */
  cost: number;
  /** What one attempt through a gateway costs, in millionths (its prices, else the store's); 0 when nothing is sent. */
  costThrough: (gateway: GatewayPrices | undefined) => number;
  /**
   * The template as it goes out (the locale's text and the application's autofill lines; a relay: its
   * text) and its segments with a code of the policy's length.
   */
  message: { template: string; segments: number };
  /** Gateways in the order they are tried (failover follows it); empty when nothing is delivered. */
  gateways: string[];
  /** Why the first gateway is the one it is (`code.sent` and the challenge history carry it). */
  route: Route;
  /** Provider attempts end within this many ms. */
  deadlineMs: number;
  /** Where each sharded count starts (further attempts start on the same shards). */
  shardSeed: number;
}

export function planSend(facts: SendFacts): SendPlan {
  const { store, phone, purpose, origin, now } = facts;
  const numberClass = classifyNumber(store, phone.e164);
  const treatment = NUMBER_TREATMENT[numberClass];
  if (purpose === 'relay' && !treatment.delivers) {
    // An identity provider's code is its own, not the fixed code: a test number never gets a relayed one.
    throw new PhoneNotAllowed('Test numbers take no relayed codes; nothing is sent to them.');
  }
  const call = origin.channel === 'voice' ? voiceDecision(facts, treatment.delivers) : null;
  const channel: Channel = call ? 'voice' : 'sms';
  const message = call ? callMessage(call, facts.relayed) : messageOf(store, purpose, origin, facts.relayed);
  // Price ties compare what one unit (a segment, a call) through each gateway would be estimated at.
  const priceThrough = (gatewayId: string) =>
    estimatedCost(store.spendLimits, facts.gatewayPrices?.get(gatewayId), phone.country, 1, channel);
  const routing = facts.routing ?? NO_ROUTING_FACTS;
  const routed = routeSend({
    routing: routingOf(store),
    // A call fails over among the gateways that can call, never to an SMS-only one.
    linked: call ? call.gateways : linkedGatewayIds(store),
    country: phone.country,
    // Test numbers and relayed codes neither use nor feed the rates; nor do calls: the rates are of texts.
    learns: purpose !== 'relay' && numberClass !== 'test' && !call,
    facts: { ...routing, priceOf: routing.priceOf ?? priceThrough },
    storePrice: estimatedCost(store.spendLimits, undefined, phone.country, 1, channel),
  });
  const gateways = treatment.delivers ? (facts.order ? [...facts.order] : routed.gateways) : [];
  // A test number costs nothing: it sends nothing.
  const costThrough = (gateway: GatewayPrices | undefined) =>
    treatment.storeWide
      ? estimatedCost(store.spendLimits, gateway, phone.country, message.segments, channel)
      : 0;
  const cost = costThrough(gateways[0] === undefined ? undefined : facts.gatewayPrices?.get(gateways[0]));
  const resendOf = livePointer(facts.pointer, phone.e164, now) ?? null;
  const counts = sendCounts(store.sendLimits, numberClass, now, facts.shardSeed, call?.voice);
  const fraud = treatment.storeWide
    ? fraudPlan(store, phone, origin, treatment.fraudGuard, cost, now, facts.shardSeed)
    : { planned: [], unverified: [] };
  return {
    store,
    phone,
    purpose,
    source: origin.source,
    channel,
    voice: call?.voice ?? null,
    now,
    numberClass,
    treatment,
    code: codeSource(store, phone, purpose, treatment),
    resendOf,
    supersedes: purpose === 'enroll' ? (facts.pointer?.challengeId ?? null) : null,
    expiresAt: now + store.codePolicy.ttlSeconds * 1000,
    resendIntervalMs: store.codePolicy.resendIntervalSeconds * 1000,
    ...counts,
    fraud,
    cost,
    costThrough,
    message,
    gateways,
    // A reroute's order is not routing's choice: its sends say so (api.md "Explained choices").
    route: facts.order ? { mode: routed.route.mode, choice: 'reroute' } : routed.route,
    deadlineMs: providerBudgetMs(purpose, origin.source),
    shardSeed: facts.shardSeed,
  };
}

/** The pointer of a challenge that a send to `e164` resends to: live and for the same number. */
export function livePointer(
  pointer: SendPointer | undefined,
  e164: string,
  now: number,
): SendPointer | undefined {
  return pointer && pointer.expiresAt > now && pointer.phone === e164 ? pointer : undefined;
}

/**
 * The limits of one provider request at `now`: a trusted number's own daily cap in place of the per-phone
 * limits; the per-phone limits for every other number (test numbers included, so that a fixed code
 * cannot be guessed without bound); the store's day for every number that reaches a provider.
 */
export function sendCounts(
  limits: SendLimits,
  numberClass: NumberClass,
  now: number,
  shardSeed: number,
  /** A call also counts against its own caps. */
  voice?: VoiceSettings | null,
): SendCounts {
  const windows =
    numberClass === 'trusted'
      ? [counterWindow('trustedPerDay', now, DAY_MS, TRUSTED_SENDS_PER_DAY)]
      : [
          counterWindow('perPhonePer10Minutes', now, TEN_MINUTES_MS, limits.perPhonePer10Minutes),
          counterWindow('perPhonePerDay', now, DAY_MS, limits.perPhonePerDay),
        ];
  const storeWide = NUMBER_TREATMENT[numberClass].storeWide;
  if (!voice) return { windows, storeDay: storeWide ? storeDayWindow(limits, now, shardSeed) : null };
  return {
    windows: [...windows, voicePhoneWindow(voice, now)],
    storeDay: storeWide ? storeDayWindow(limits, now, shardSeed) : null,
    ...(storeWide
      ? { voiceStoreDay: shardedDay('voicePerStorePerDay', voice.perStorePerDay, now, shardSeed) }
      : {}),
  };
}

/** The body that goes out: a test number's shows zeros (its code exists only as a digest). */
export function messageBody(
  plan: Pick<SendPlan, 'message' | 'code' | 'store' | 'channel'>,
  code: string,
): string {
  if (plan.code.kind === 'relayed') return plan.message.template;
  const shown = plan.code.kind === 'fixed' ? '0'.repeat(plan.store.codePolicy.length) : code;
  return (plan.channel === 'voice' ? renderSpoken : renderTemplate)(plan.message.template, shown);
}

/** What the outbound message adds for a call (an SMS keeps its shape: `channel` absent reads as `sms`). */
export function callOf(plan: Pick<SendPlan, 'channel'>): { channel?: 'voice' } {
  return plan.channel === 'voice' ? { channel: 'voice' } : {};
}

/** The voice decisions (voice/voice-plan.ts): who may be called, through which gateways, at what price. */
function voiceDecision(facts: SendFacts, delivers: boolean): VoiceDecision {
  return planVoice({
    store: facts.store,
    phone: facts.phone,
    purpose: facts.purpose,
    voiceAllowed: facts.voiceAllowed ?? false,
    gatewayChannels: facts.gatewayChannels ?? {},
    locale: facts.origin.locale,
    delivers,
  });
}

/** A call speaks the voice template (a relay: with the identity provider's code); one call is one unit. */
function callMessage(call: VoiceDecision, relayed: SendFacts['relayed']) {
  const template = relayed ? renderSpoken(call.template, relayed.code ?? '') : call.template;
  return { template, segments: 1 };
}

/**
 * The text that goes out: a relay's own (or the store's template for its locale, with its code), else the
 * template for the locale with the application's autofill lines (which name the code too).
 */
function messageOf(
  store: IdentityStore,
  purpose: SendPurpose,
  origin: SendOrigin,
  relayed: SendFacts['relayed'],
) {
  const localized = templateFor(store.smsAuth, origin.locale);
  if (purpose !== 'relay') {
    const template = withAutofillLines(localized, origin.messageOptions);
    return { template, segments: templateInfo(template, store.codePolicy.length).segments };
  }
  const template = localized;
  const text = relayed?.text ?? renderTemplate(template, relayed?.code ?? '');
  return { template: text, segments: messageInfo(text).segments };
}

function codeSource(
  store: IdentityStore,
  phone: PhoneNumber,
  purpose: SendPurpose,
  treatment: NumberTreatment,
): CodeSource {
  if (purpose === 'relay') return { kind: 'relayed' };
  const digest = treatment.fixedCode ? testCodeDigestOf(store, phone.e164) : undefined;
  return digest ? { kind: 'fixed', digest } : { kind: 'random', length: store.codePolicy.length };
}

/**
 * The fraud-guard windows (unless the mode is off or the number is exempt: trusted numbers) and the spend
 * budgets (every number that reaches a provider). Hot keys are sharded; each starts at the seed's shard.
 */
function fraudPlan(
  store: IdentityStore,
  phone: PhoneNumber,
  origin: SendOrigin,
  guarded: boolean,
  /** The send's estimated cost in millionths (what the spend budgets count). */
  amount: number,
  now: number,
  seed: number,
): FraudPlan {
  const planned: PlannedWindow[] = [];
  const guard = store.fraudGuard;
  const country = phone.country ?? phone.countryCallingCode;
  if (guard.mode !== 'off' && guarded) {
    const prefix = numberPrefix(phone.e164, guard.prefixDigits);
    const unverified = { unverified: true };
    planned.push(
      plannedWindow('prefixPerHour', prefix, now, HOUR_MS, guard.maxUnverifiedPerPrefixPerHour, unverified),
      plannedWindow('countryPerHour', country, now, HOUR_MS, guard.maxUnverifiedPerCountryPerHour, {
        ...unverified,
        sharded: true,
        seed,
      }),
    );
    if (origin.clientIp) {
      const max = guard.perClientIpPer10Minutes;
      planned.push(plannedWindow('clientIpPer10Minutes', origin.clientIp, now, TEN_MINUTES_MS, max, {}));
    }
    if (guard.perApplicationPerMinute !== null) {
      const application = origin.applicationId ?? STORE_LEVEL_APPLICATION;
      const max = guard.perApplicationPerMinute;
      planned.push(
        plannedWindow('applicationPerMinute', application, now, MINUTE_MS, max, { sharded: true, seed }),
      );
    }
  }
  planned.push(...budgetWindows(store.spendLimits, phone, amount, now, seed));
  return { planned, unverified: planned.filter((p) => p.unverified).map((p) => p.window) };
}

/**
 * The spend budgets one provider request is charged on (the store's day, the country's day), each by
 * `amount`, its cost in millionths: the one rule for the first attempt and every further one.
 */
function budgetWindows(
  limits: SpendLimits,
  phone: PhoneNumber,
  amount: number,
  now: number,
  seed: number,
): PlannedWindow[] {
  const country = phone.country ?? phone.countryCallingCode;
  const spend = { amount, budget: true, sharded: true, seed };
  // A budget is spread like the count of sends it pays for at the default price.
  const sends = (budget: number) =>
    Math.floor(budget / Math.max(1, toMillionths(limits.pricePerSegment.default ?? 0)));
  const planned: PlannedWindow[] = [];
  if (limits.dailyBudget !== null) {
    const budget = toMillionths(limits.dailyBudget);
    planned.push(plannedWindow('storeSpendPerDay', 'store', now, DAY_MS, budget, spend, sends(budget)));
  }
  const perCountry = countryBudget(limits, phone.country);
  if (perCountry !== null) {
    planned.push(
      plannedWindow('countrySpendPerDay', country, now, DAY_MS, perCountry, spend, sends(perCountry)),
    );
  }
  return planned;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** The application a send is for; store-level API keys share one count. */
const STORE_LEVEL_APPLICATION = 'store';

/** One fixed window: the `length`-long span `now` falls in. */
function counterWindow(
  limit: CounterWindow['limit'],
  now: number,
  length: number,
  max: number,
  extra: Pick<CounterWindow, 'subject' | 'amount' | 'shard'> = {},
): CounterWindow {
  const bucket = Math.floor(now / length);
  return { limit, ...extra, bucket, max, endsAt: (bucket + 1) * length };
}

/**
 * Hot keys are sharded: about 100 sends per counter item, at most MAX_STORE_SHARDS items, so small limits
 * stay exact and no item takes every send. Shard `i` may take ceil(max / shards), so a key takes at most
 * fewer than `shards` sends too many, and a full shard hands the send to the next one.
 */
export function shardCount(maxSends: number): number {
  return Math.min(MAX_STORE_SHARDS, Math.max(1, Math.floor(maxSends / 100)));
}

/** The store's day, counted beside the transaction on one of its shards (the seed's first). */
export function storeDayWindow(limits: SendLimits, now: number, seed: number): ShardedWindow {
  return shardedDay('perStorePerDay', limits.perStorePerDay, now, seed);
}

function shardedDay(
  limit: 'perStorePerDay' | 'voicePerStorePerDay',
  perDay: number,
  now: number,
  seed: number,
): ShardedWindow {
  const shards = shardCount(perDay);
  const max = Math.ceil(perDay / shards);
  return { window: counterWindow(limit, now, DAY_MS, max, { shard: seed % shards }), shards };
}

/** A fraud-guard or spend window: one subject (a prefix, a country, ...), maybe sharded, maybe an amount. */
function plannedWindow(
  limit: FraudLimit,
  subject: string,
  now: number,
  length: number,
  max: number,
  options: { sharded?: boolean; seed?: number; amount?: number; unverified?: boolean; budget?: boolean },
  /** What the shard count is judged on, when not `max` (a budget: its sends at the default price). */
  sends = max,
): PlannedWindow {
  const shards = options.sharded ? shardCount(sends) : 1;
  const window = counterWindow(limit, now, length, Math.ceil(max / shards), {
    subject,
    ...(options.amount !== undefined ? { amount: options.amount } : {}),
    ...(shards > 1 ? { shard: (options.seed ?? 0) % shards } : {}),
  });
  return { window, shards, unverified: options.unverified ?? false, budget: options.budget ?? false };
}

/**
 * The range a number belongs to, as pumping attacks walk it: the first `digits` E.164 digits (country
 * code included, no `+`), never more than the number's length minus 4, so a prefix is always shared by
 * at least 10,000 numbers and never identifies one.
 */
export function numberPrefix(e164: string, digits: number): string {
  const all = e164.replace(/^\+/, '');
  return all.slice(0, Math.max(1, Math.min(digits, all.length - 4)));
}

/** The day's budget of the number's country in millionths: its own entry, else `default`, else none. */
export function countryBudget(limits: SpendLimits, country: string | undefined): number | null {
  const budgets = limits.countryDailyBudget;
  if (!budgets) return null;
  const budget = (country === undefined ? undefined : budgets[country]) ?? budgets.default;
  return budget === undefined ? null : toMillionths(budget);
}

/** The provider budget: Okta waits 3 s for its hook, Cognito's custom-auth trigger 5 s; else the deadline's. */
function providerBudgetMs(purpose: SendPurpose, source: string | null): number {
  if (purpose === 'relay' && source === 'okta') return OKTA_PROVIDER_BUDGET_MS;
  if (purpose !== 'relay' && source === 'cognito') return COGNITO_PROVIDER_BUDGET_MS;
  return PROVIDER_BUDGET_MS;
}

/**
 * What a further provider request of the plan's send counts against, at `now`, through a gateway of
 * `prices`: the send limits, and every budget charged what the message as rendered costs through that
 * gateway (api.md "Prices and currencies": each attempt at its own gateway's price). A number that
 * reaches no provider, or takes no store-wide count (test numbers), is charged nothing.
 */
export function attemptCounts(
  plan: Pick<
    SendPlan,
    'store' | 'phone' | 'numberClass' | 'treatment' | 'voice' | 'costThrough' | 'shardSeed'
  >,
  now: number,
  prices?: GatewayPrices,
): AttemptCounts {
  const counts = sendCounts(plan.store.sendLimits, plan.numberClass, now, plan.shardSeed, plan.voice);
  const budgets = plan.treatment.storeWide
    ? budgetWindows(plan.store.spendLimits, plan.phone, plan.costThrough(prices), now, plan.shardSeed)
    : [];
  return { ...counts, budgets };
}
