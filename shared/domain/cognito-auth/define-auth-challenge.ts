import type { ChallengeStore } from '../../ports/challenge-store.ts';
import type { Clock } from '../../ports/clock.ts';
import { isLive, MAX_SENDS_PER_CHALLENGE } from '../challenges/challenge.ts';
import {
  CUSTOM_CHALLENGE,
  sessionChallengeId,
  type ChallengeResult,
  type DefineAuthChallengeEvent,
} from './cognito-auth.ts';

type Decision = DefineAuthChallengeEvent['response'];

const next = (challengeName: string): Decision => ({
  challengeName,
  issueTokens: false,
  failAuthentication: false,
});
const fail: Decision = { issueTokens: false, failAuthentication: true };
const success: Decision = { issueTokens: true, failAuthentication: false };

/**
 * Define Auth Challenge: the password first (SRP_A, then PASSWORD_VERIFIER), then sms-mfa's code as a
 * CUSTOM_CHALLENGE until it is answered correctly. After a wrong answer (or a resend round) the next round
 * is allowed only while the challenge itself is live: the attempts it counted (the policy's maxAttempts,
 * counted by the one-write verify, across sessions) decide, not the session's own tally, and an expired,
 * closed, locked or failed challenge ends the sign-in.
 */
export class DefineAuthChallenge {
  constructor(private readonly deps: { challenges: Pick<ChallengeStore, 'get'>; clock: Clock }) {}

  async run(event: DefineAuthChallengeEvent): Promise<Decision> {
    const { session } = event.request;
    if (session.length === 1 && session[0]?.challengeName === 'SRP_A') return next('PASSWORD_VERIFIER');
    const [srp, password, ...rounds] = session;
    const passwordVerified =
      srp?.challengeName === 'SRP_A' &&
      password?.challengeName === 'PASSWORD_VERIFIER' &&
      password.challengeResult;
    if (!passwordVerified || rounds.some((round) => round.challengeName !== CUSTOM_CHALLENGE)) return fail;
    const last = rounds.at(-1);
    if (!last) return next(CUSTOM_CHALLENGE);
    if (last.challengeResult) return success;
    return this.afterWrongAnswer(session, rounds.length);
  }

  private async afterWrongAnswer(session: readonly ChallengeResult[], rounds: number): Promise<Decision> {
    const challengeId = sessionChallengeId(session);
    const challenge = challengeId && (await this.deps.challenges.get(challengeId));
    if (!challenge || !isLive(challenge, this.deps.clock.now().getTime())) return fail;
    // Resend rounds count no attempt; this bounds the rounds of one session all the same.
    if (rounds >= challenge.maxAttempts + MAX_SENDS_PER_CHALLENGE) return fail;
    return next(CUSTOM_CHALLENGE);
  }
}
