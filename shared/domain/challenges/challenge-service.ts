import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import type { IssueLedger } from '../../ports/issue-ledger.ts';
import type { Random } from '../../ports/random.ts';
import type { ReplacementNotifier } from '../../ports/replacement-notifier.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import type { Telemetry } from '../../ports/telemetry.ts';
import type { EventPort } from '../../ports/events.ts';
import type { Pepper } from '../codes/pepper.ts';
import type { MfaPolicy } from '../applications/application.ts';
import { storeForClient } from '../applications/effective-policy.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import type { SmsDelivery } from '../sending/sms-delivery.ts';
import { Authenticate } from './authenticate.ts';
import { CancelChallenge, type CancelCaller } from './cancel-challenge.ts';
import type { ChallengeView } from './challenge.ts';
import { Enroll, type EnrollInput } from './enroll.ts';
import { GetFactor, type FactorView } from './get-factor.ts';
import { RemoveFactor } from './remove-factor.ts';
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
export type { FactorView } from './get-factor.ts';

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

/**
 * The `/v1` challenge routes, one use case each; this only resolves the store and dispatches. The routes
 * that send nothing (verify, cancel, the factor's read and removal) are wired to their use case alone
 * (wiring/verify-code.ts, cancel-challenge.ts, sms-factor.ts), so their functions bundle no issue path.
 */
export class ChallengeService {
  private readonly enrollment: Enroll;
  private readonly signIn: Authenticate;
  private readonly phoneCheck: VerifyPhone;
  private readonly verification: VerifyCode;
  private readonly cancellation: CancelChallenge;
  private readonly factorView: GetFactor;
  private readonly factorRemoval: RemoveFactor;
  /**
   * Cognito's custom-auth triggers (SmsMfaCognitoCustomAuth) on the same issue and verify use cases. The
   * deployed triggers are each wired to their own use case (wiring/cognito-define.ts, cognito-create.ts,
   * cognito-verify.ts), so that Define and Verify bundle no issue path.
   */
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
    this.factorView = new GetFactor(deps);
    this.factorRemoval = new RemoveFactor(deps);
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

  factor(storeId: string, userId: string): Promise<FactorView> {
    return this.factorView.run(storeId, userId);
  }

  /** The factor's live challenges end with it: their codes answer `challenge-expired`. */
  removeFactor(storeId: string, userId: string): Promise<void> {
    return this.factorRemoval.run(storeId, userId);
  }
}
