import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import type { IssueLedger } from '../../ports/issue-ledger.ts';
import type { Random } from '../../ports/random.ts';
import type { ReplacementNotifier } from '../../ports/replacement-notifier.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import { noEvents, type EventPort } from '../../ports/events.ts';
import { factorData } from './challenge-events.ts';
import { closeChallenges } from './challenge-endings.ts';
import type { Pepper } from '../codes/pepper.ts';
import type { MfaPolicy } from '../applications/application.ts';
import { storeForClient } from '../applications/effective-policy.ts';
import { NotFound } from '../errors.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { maskPhone } from '../phone.ts';
import type { SmsDelivery } from '../sending/sms-delivery.ts';
import { Authenticate } from './authenticate.ts';
import { CancelChallenge, type CancelCaller } from './cancel-challenge.ts';
import type { ChallengeView } from './challenge.ts';
import { Enroll, type EnrollInput } from './enroll.ts';
import { CodeIssuer } from './issue-code.ts';
import type { RoutingFactsSource } from '../sending/routing-facts.ts';
import { requireStore } from './use-case-support.ts';
import { VerifyCode, type Approval } from './verify-code.ts';
import { VerifyPhone } from './verify-phone.ts';
import { NO_ORIGIN, type SendOrigin } from '../sending/send-plan.ts';
import { CreateAuthChallenge } from '../cognito-auth/create-auth-challenge.ts';
import { DefineAuthChallenge } from '../cognito-auth/define-auth-challenge.ts';
import { VerifyAuthChallenge } from '../cognito-auth/verify-auth-challenge.ts';

export type { Approval } from './verify-code.ts';
export type { ChallengeView } from './challenge.ts';

export interface ChallengeServiceDeps {
  challenges: ChallengeStore;
  factors: FactorStore;
  ledger: IssueLedger;
  counters: SendCounters;
  /** Cached store configuration. */
  stores: { get(id: string): Promise<IdentityStore | undefined> };
  delivery: Pick<SmsDelivery, 'send'> & Partial<Pick<SmsDelivery, 'linkedGateways'>>;
  notifier: ReplacementNotifier;
  pepper: Pepper;
  clock: Clock;
  random: Random;
  telemetry: Telemetry;
  /** Optional: without it nothing is emitted (unit tests that do not look at events). */
  events?: EventPort;
  approvalUncount?: 'inline' | 'deferred';
  /** The facts each send is routed on (routing-facts.ts); absent: ordered, every gateway closed. */
  routing?: RoutingFactsSource;
  /** The deployment's voice switch (CDK context `voiceAllowed`); absent: no calls. */
  voiceAllowed?: boolean;
}

/** The caller's key's application, from the authorizer context: no read of its own. */
export interface ClientApplication {
  id: string;
  mfaPolicy: MfaPolicy | null;
}

export interface FactorView {
  status: 'pending' | 'active';
  maskedPhone: string;
  verifiedAt?: string;
  lastUsedAt?: string;
}

/** The `/v1` challenge routes, one use case each; this only resolves the store and dispatches. */
export class ChallengeService {
  private readonly enrollment: Enroll;
  private readonly signIn: Authenticate;
  private readonly phoneCheck: VerifyPhone;
  private readonly verification: VerifyCode;
  private readonly cancellation: CancelChallenge;
  /** Cognito's custom-auth triggers (SmsMfaCognitoCustomAuth) on the same issue and verify use cases. */
  readonly cognito: {
    define: DefineAuthChallenge;
    create: CreateAuthChallenge;
    verify: VerifyAuthChallenge;
  };

  constructor(private readonly deps: ChallengeServiceDeps) {
    const issuer = new CodeIssuer(deps);
    this.enrollment = new Enroll({ ...deps, issuer });
    this.signIn = new Authenticate({ ...deps, issuer });
    this.phoneCheck = new VerifyPhone({ ...deps, issuer });
    this.verification = new VerifyCode(deps);
    this.cancellation = new CancelChallenge(deps);
    this.cognito = {
      define: new DefineAuthChallenge(deps),
      create: new CreateAuthChallenge({ ...deps, issuer }),
      verify: new VerifyAuthChallenge({ verification: this.verification }),
    };
  }

  async enroll(
    storeId: string,
    userId: string,
    input: EnrollInput,
    origin?: SendOrigin,
    application?: ClientApplication,
  ) {
    return this.enrollment.run(await this.store(storeId, application), userId, input, origin ?? NO_ORIGIN);
  }

  async authenticate(
    storeId: string,
    userId: string,
    origin?: SendOrigin,
    application?: ClientApplication,
  ): Promise<ChallengeView> {
    return this.signIn.run(await this.store(storeId, application), userId, origin ?? NO_ORIGIN);
  }

  async verifyPhone(
    storeId: string,
    phoneNumber: string,
    origin?: SendOrigin,
    application?: ClientApplication,
  ): Promise<ChallengeView> {
    return this.phoneCheck.run(await this.store(storeId, application), phoneNumber, origin ?? NO_ORIGIN);
  }

  /** The cached store, as the caller's application sees it (its own policy, if it has one). */
  private async store(storeId: string, application: ClientApplication | undefined) {
    return storeForClient(await requireStore(this.deps.stores, storeId), application);
  }

  verify(storeId: string, challengeId: string, code: string): Promise<Approval> {
    return this.verification.run(storeId, challengeId, code);
  }

  /** The user closed the dialog: the challenge ends unless it was approved first. */
  cancel(caller: CancelCaller, challengeId: string): Promise<void> {
    return this.cancellation.run(caller, challengeId);
  }

  async factor(storeId: string, userId: string): Promise<FactorView> {
    const factor = await this.deps.factors.get(storeId, userId);
    const phone = factor?.status === 'active' ? factor.phone : factor?.pendingPhone;
    if (!factor || factor.status === 'none' || !phone) throw new NotFound('The SMS factor');
    return {
      status: factor.status,
      maskedPhone: maskPhone(phone),
      ...(factor.verifiedAt && factor.status === 'active' ? { verifiedAt: factor.verifiedAt } : {}),
      ...(factor.lastUsedAt && factor.status === 'active' ? { lastUsedAt: factor.lastUsedAt } : {}),
    };
  }

  /** The factor's live challenges end with it: their codes answer `challenge-expired`. */
  async removeFactor(storeId: string, userId: string): Promise<void> {
    const before = await this.deps.factors.remove(storeId, userId);
    if (!before) throw new NotFound('The SMS factor');
    (this.deps.events ?? noEvents).emit(
      'factor.removed',
      factorData(storeId, userId, before.phone ?? before.pendingPhone ?? undefined),
    );
    const open = Object.values(before.pointers).map((pointer) => pointer.challengeId);
    await closeChallenges(this.deps, open, this.deps.clock.now().getTime());
  }
}
