import type { Clock } from '../../ports/clock.ts';
import type { FactorStore } from '../../ports/factor-store.ts';
import type { Random } from '../../ports/random.ts';
import type { CodeIssuer } from '../challenges/issue-code.ts';
import {
  assertNotLocked,
  MAX_STALE_RETRIES,
  requireStore,
  staleConflict,
} from '../challenges/use-case-support.ts';
import { keyedPhone, type Pepper } from '../codes/pepper.ts';
import { Forbidden, RateLimited } from '../errors.ts';
import type { FactorRecord, SendPointer } from '../factors/factor.ts';
import { newId } from '../ids.ts';
import type { IdentityStore } from '../identity-stores/identity-store.ts';
import { maskPhone, type PhoneNumber } from '../phone.ts';
import { sendablePhone } from '../sending/send-guards.ts';
import { livePointer, type SendOrigin } from '../sending/send-plan.ts';
import { userIdProblem } from '../user-id.ts';
import {
  challengeMetadata,
  CUSTOM_CHALLENGE,
  sessionChallengeId,
  wantsResend,
  type CreateAuthChallengeEvent,
  type StringMap,
} from './cognito-auth.ts';

type Round = CreateAuthChallengeEvent['response'];

/** The trigger's sends: no client address or application is known; `code.sent` names Cognito. */
const COGNITO_ORIGIN: SendOrigin = { clientIp: null, applicationId: null, source: 'cognito' };

export interface CognitoAuthSettings {
  /** The identity store whose policy, gateways and limits the pool's codes follow. */
  storeId: string;
  /** Only a `phone_number` with `phone_number_verified: "true"` gets codes (default). */
  requireVerifiedPhone: boolean;
}

export interface CreateAuthChallengeDeps {
  stores: { get(id: string): Promise<IdentityStore | undefined> };
  factors: Pick<FactorStore, 'get'>;
  issuer: Pick<CodeIssuer, 'issue'>;
  pepper: Pepper;
  clock: Clock;
  random: Random;
}

/**
 * Create Auth Challenge: a sign-in code for the user's `phone_number`, as an `authenticate` challenge of
 * the store (hashed code, counted attempts, the user's lockout, resends, failover, the fraud guard).
 * Only the challenge id goes into `privateChallengeParameters`, and `challengeMetadata` carries it to
 * the next round: a round after a wrong answer reuses it and sends nothing; a round the client asked to
 * resend sends a new code for the same challenge when the resend rules allow one. Nothing is sent for a
 * user Cognito did not find.
 */
export class CreateAuthChallenge {
  constructor(private readonly deps: CreateAuthChallengeDeps) {}

  async run(settings: CognitoAuthSettings, event: CreateAuthChallengeEvent): Promise<Round> {
    const { request } = event;
    if (request.challengeName !== CUSTOM_CHALLENGE) {
      throw new Forbidden(`The challenge ${request.challengeName} is not sms-mfa's.`);
    }
    const store = await requireStore(this.deps.stores, settings.storeId);
    // The same shape of answer, so that the caller cannot tell; no challenge and no send.
    if (request.userNotFound) return round(newId('ch', this.deps.clock, this.deps.random), {});
    const attributes = request.userAttributes;
    const userId = attributes.sub ?? event.userName;
    // Cognito user ids become store user ids, under the same rule as a `/v1` path's.
    if (userIdProblem(userId)) throw new Forbidden('The Cognito user id is not a valid sms-mfa user id.');
    if (!attributes.phone_number) throw new Forbidden('The user has no phone_number attribute.');
    if (settings.requireVerifiedPhone && attributes.phone_number_verified !== 'true') {
      throw new Forbidden('The user has no verified phone_number.');
    }
    const phone = sendablePhone(store, attributes.phone_number);
    const previous = sessionChallengeId(request.session);
    const factor = await this.deps.factors.get(store.id, userId);
    const now = this.deps.clock.now().getTime();
    assertNotLocked(factor, now);
    const pointer = factor?.pointers.authenticate;
    const live = livePointer(pointer, phone.e164, now);
    if (previous && !wantsResend(request.clientMetadata)) {
      // Another try at the code already sent.
      return round(
        previous,
        pointerParameters(store, phone, live?.challengeId === previous ? live : undefined),
      );
    }
    try {
      return await this.issue(store, userId, phone, factor);
    } catch (error) {
      // A resend asked for too early, or beyond the limits: the live challenge and its code stay.
      if (error instanceof RateLimited && live) {
        return round(live.challengeId, { ...pointerParameters(store, phone, live), codeSent: 'false' });
      }
      throw error;
    }
  }

  private async issue(
    store: IdentityStore,
    userId: string,
    phone: PhoneNumber,
    read: FactorRecord | undefined,
  ): Promise<Round> {
    const phoneKey = await keyedPhone(this.deps.pepper, phone.e164);
    let factor = read;
    for (let tries = 0; tries <= MAX_STALE_RETRIES; tries++) {
      if (tries > 0) factor = await this.deps.factors.get(store.id, userId);
      const outcome = await this.deps.issuer.issue({
        facts: {
          store,
          phone,
          purpose: 'authenticate',
          origin: COGNITO_ORIGIN,
          pointer: factor?.pointers.authenticate,
          factor,
        },
        phoneKey,
        userId,
        target: { kind: 'user', storeId: store.id, userId, purpose: 'authenticate' },
        // The number is the pool's attribute, not an enrolled factor's.
        expectation: { kind: 'none' },
        approval: null,
        newChallengeAllowed: true,
      });
      if (outcome.kind === 'sent') {
        const view = outcome.challenge;
        return round(view.id, {
          maskedPhone: view.maskedPhone,
          expiresAt: view.expiresAt,
          resendAvailableAt: view.resendAvailableAt,
          attemptsRemaining: String(view.attemptsRemaining),
          codeSent: 'true',
        });
      }
    }
    throw staleConflict();
  }
}

function round(challengeId: string, publicChallengeParameters: StringMap): Round {
  return {
    publicChallengeParameters,
    privateChallengeParameters: { challengeId },
    challengeMetadata: challengeMetadata(challengeId),
  };
}

/** What the client is shown of a challenge it already has (from the user's pointer, when it is the live one). */
function pointerParameters(
  store: IdentityStore,
  phone: PhoneNumber,
  pointer: SendPointer | undefined,
): StringMap {
  if (!pointer) return { maskedPhone: maskPhone(phone.e164), codeSent: 'false' };
  const resendAt = pointer.lastSentAt + store.codePolicy.resendIntervalSeconds * 1000;
  return {
    maskedPhone: maskPhone(phone.e164),
    expiresAt: new Date(pointer.expiresAt).toISOString(),
    resendAvailableAt: new Date(resendAt).toISOString(),
    ...(pointer.maxAttempts !== undefined
      ? { attemptsRemaining: String(Math.max(pointer.maxAttempts - (pointer.attempts ?? 0), 0)) }
      : {}),
    codeSent: 'false',
  };
}
