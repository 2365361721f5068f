import type { VerifyCode } from '../challenges/verify-code.ts';
import { DomainError, Unavailable } from '../errors.ts';
import { wantsResend, type VerifyAuthChallengeEvent } from './cognito-auth.ts';

/** Longer answers cannot be a code of any policy; they are wrong without a write. */
const MAX_ANSWER_LENGTH = 32;

/**
 * Verify Auth Challenge Response: `answerCorrect` is the verdict of the one-write verify of the round's
 * challenge (the id from `privateChallengeParameters`, which only Create wrote), so that exactly one
 * answer can approve it, attempts are counted and the user's lockout applies. A refusal (wrong code,
 * expired, used, too many attempts, locked) is `false`; a resend request counts no attempt.
 */
export class VerifyAuthChallenge {
  constructor(private readonly deps: { verification: Pick<VerifyCode, 'run'> }) {}

  async run(storeId: string, event: VerifyAuthChallengeEvent): Promise<{ answerCorrect: boolean }> {
    const { request } = event;
    const challengeId = request.privateChallengeParameters.challengeId;
    const answer = request.challengeAnswer;
    if (request.userNotFound || !challengeId || wantsResend(request.clientMetadata)) {
      return { answerCorrect: false };
    }
    if (typeof answer !== 'string' || answer.length === 0 || answer.length > MAX_ANSWER_LENGTH) {
      return { answerCorrect: false };
    }
    try {
      const approval = await this.deps.verification.run(storeId, challengeId, answer.trim());
      return { answerCorrect: approval.status === 'approved' };
    } catch (error) {
      // A dependency's failure is not a wrong answer: Cognito reports it, and the attempt may be retried.
      if (error instanceof DomainError && !(error instanceof Unavailable)) return { answerCorrect: false };
      throw error;
    }
  }
}
