/**
 * Cognito's custom authentication triggers (Define, Create and Verify Auth Challenge), as Cognito invokes
 * them: the fields these use cases read and write. Shapes:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-create-auth-challenge.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-verify-auth-challenge-response.html
 */
export type StringMap = Record<string, string | undefined>;

export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string | undefined;
}

interface TriggerEvent<Source extends string, Request, Response> {
  triggerSource: Source;
  userPoolId: string;
  userName: string;
  request: Request & { userAttributes: StringMap; userNotFound?: boolean; clientMetadata?: StringMap };
  response: Response;
}

export type DefineAuthChallengeEvent = TriggerEvent<
  'DefineAuthChallenge_Authentication',
  { session: ChallengeResult[] },
  { challengeName?: string; issueTokens: boolean; failAuthentication: boolean }
>;

export type CreateAuthChallengeEvent = TriggerEvent<
  'CreateAuthChallenge_Authentication',
  { challengeName: string; session: ChallengeResult[] },
  { publicChallengeParameters: StringMap; privateChallengeParameters: StringMap; challengeMetadata: string }
>;

export type VerifyAuthChallengeEvent = TriggerEvent<
  'VerifyAuthChallengeResponse_Authentication',
  { privateChallengeParameters: StringMap; challengeAnswer: string },
  { answerCorrect: boolean }
>;

export const CUSTOM_CHALLENGE = 'CUSTOM_CHALLENGE';

/** Cognito gives each trigger 5 seconds; provider attempts end early enough for the writes around them. */
export const COGNITO_TRIGGER_MS = 5_000;
export const COGNITO_PROVIDER_BUDGET_MS = COGNITO_TRIGGER_MS - 2_000;

/** `challengeMetadata` of a round: the sms-mfa challenge it asks for, so later rounds reuse it. */
const METADATA_PREFIX = 'SMS_MFA:';
export const challengeMetadata = (challengeId: string) => `${METADATA_PREFIX}${challengeId}`;

/** The challenge id of the session's latest sms-mfa round, if there is one. */
export function sessionChallengeId(session: readonly ChallengeResult[]): string | undefined {
  for (let i = session.length - 1; i >= 0; i--) {
    const metadata = session[i]?.challengeMetadata;
    if (session[i]?.challengeName === CUSTOM_CHALLENGE && metadata?.startsWith(METADATA_PREFIX)) {
      return metadata.slice(METADATA_PREFIX.length);
    }
  }
  return undefined;
}

/**
 * The client asks for a new code by answering with `clientMetadata: { smsMfa: "resend" }`
 * (RespondToAuthChallenge passes it to Verify, Define and Create): Verify counts no attempt for it and
 * Create sends a new code for the same challenge when the resend rules allow one.
 */
export const wantsResend = (clientMetadata: StringMap | undefined) => clientMetadata?.smsMfa === 'resend';
