import type {
  ChallengeResult,
  CreateAuthChallengeEvent,
  DefineAuthChallengeEvent,
  StringMap,
  VerifyAuthChallengeEvent,
} from '../../shared/domain/cognito-auth/cognito-auth.ts';
import type { IdentityStore } from '../../shared/domain/identity-stores/identity-store.ts';
import type { DeliveryOptions } from '../../shared/domain/sending/sms-delivery.ts';
import type { OutboundSms } from '../../shared/ports/sms-sender.ts';

/**
 * Cognito's custom-auth trigger events, in the shape of the examples on
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-create-auth-challenge.html and
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-verify-auth-challenge-response.html
 * (common fields as in the AWS Lambda events fixture `example-cognito-event-userpools-create-auth-challenge`).
 */
export const POOL_ID = 'eu-west-1_AbCdEf123';
export const SUB = '5d8b3c1e-7a2f-4f61-9c0d-2b9e8a7f6c51';

export interface CognitoUser {
  phone?: string;
  verified?: boolean;
  notFound?: boolean;
}

function common<Source extends string>(triggerSource: Source) {
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: POOL_ID,
    userName: SUB,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '4p1qaqn3e8rf0h7d4bq0f0cvu2' },
    triggerSource,
  };
}

function attributes(user: CognitoUser): StringMap {
  if (user.notFound) return {};
  return {
    sub: SUB,
    'cognito:user_status': 'CONFIRMED',
    email_verified: 'true',
    email: 'ana@example.com',
    ...(user.phone ? { phone_number: user.phone, phone_number_verified: String(user.verified ?? true) } : {}),
  };
}

/** The request fields every trigger gets: the user's attributes, clientMetadata, userNotFound. */
const userRequest = (user: CognitoUser, clientMetadata: StringMap = {}) => ({
  userAttributes: attributes(user),
  clientMetadata,
  ...(user.notFound ? { userNotFound: true } : {}),
});

export const PASSWORD_DONE: ChallengeResult[] = [
  { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: '' },
  { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: '' },
];

export const defineEvent = (user: CognitoUser, session: ChallengeResult[]): DefineAuthChallengeEvent => ({
  ...common('DefineAuthChallenge_Authentication'),
  request: { ...userRequest(user), session },
  response: { issueTokens: false, failAuthentication: false },
});

export const createEvent = (
  user: CognitoUser,
  session: ChallengeResult[],
  clientMetadata?: StringMap,
): CreateAuthChallengeEvent => ({
  ...common('CreateAuthChallenge_Authentication'),
  request: { ...userRequest(user, clientMetadata), challengeName: 'CUSTOM_CHALLENGE', session },
  response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: '' },
});

export const verifyEvent = (
  user: CognitoUser,
  privateChallengeParameters: StringMap,
  challengeAnswer: string,
  clientMetadata?: StringMap,
): VerifyAuthChallengeEvent => ({
  ...common('VerifyAuthChallengeResponse_Authentication'),
  request: { ...userRequest(user, clientMetadata), privateChallengeParameters, challengeAnswer },
  response: { answerCorrect: false },
});

/** A delivery that records what it was asked to send, and the deadline's budget it was given. */
export function recordingDelivery() {
  const sent: (OutboundSms & { budgetMs: number })[] = [];
  return {
    sent,
    lastCode: () => /(\d{6})/.exec(sent.at(-1)?.body ?? '')?.[1] ?? '',
    delivery: {
      send: async (_store: IdentityStore, sms: OutboundSms, plan?: DeliveryOptions) => {
        sent.push({ ...sms, budgetMs: plan?.deadline?.remainingMs() ?? Infinity });
        return { gatewayId: 'gw_1', gatewayType: 'console', providerMessageId: `m${sent.length}` };
      },
    },
  };
}
