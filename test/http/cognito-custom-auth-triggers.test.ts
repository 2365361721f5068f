import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ChallengeResult,
  CreateAuthChallengeEvent,
  DefineAuthChallengeEvent,
  VerifyAuthChallengeEvent,
} from '../../shared/domain/cognito-auth/cognito-auth.ts';
import { eventLineSchema } from '../../shared/domain/events/event-schemas.ts';
import { createEvent, defineEvent, PASSWORD_DONE, verifyEvent } from '../support/cognito-auth-events.ts';
import { clientFor, lastCode, mobileNumber, outbox } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/local-server.ts';

/**
 * SmsMfaCognitoCustomAuth's three functions as Lambda runs them (functions/cognito/*), in the process of
 * the local server so that they use its table and console gateway: a Cognito sign-in round by round.
 */
type Trigger<E> = (event: E, context: Context) => Promise<E>;
const context = { functionName: 'cognito-auth', awsRequestId: 'r1' } as Context;

let server: TestServer;
let storeId: string;
let triggers: {
  define: Trigger<DefineAuthChallengeEvent>;
  create: Trigger<CreateAuthChallengeEvent>;
  verify: Trigger<VerifyAuthChallengeEvent>;
};
beforeAll(async () => {
  server = await startTestServer();
  ({ storeId } = await clientFor(server));
  // The construct's environment, read when the functions load.
  process.env.SMS_MFA_IDENTITY_STORE_ID = storeId;
  const [define, create, verify] = await Promise.all([
    import('../../functions/cognito/define-auth-challenge.ts'),
    import('../../functions/cognito/create-auth-challenge.ts'),
    import('../../functions/cognito/verify-auth-challenge.ts'),
  ]);
  triggers = {
    define: define.handler as Trigger<DefineAuthChallengeEvent>,
    create: create.handler as Trigger<CreateAuthChallengeEvent>,
    verify: verify.handler as Trigger<VerifyAuthChallengeEvent>,
  };
});
afterAll(async () => {
  delete process.env.SMS_MFA_IDENTITY_STORE_ID;
  await server.stop();
});

describe('Cognito custom-auth functions against the local server', () => {
  it('sign in: password, a code to the verified phone_number, a wrong answer, the right one, tokens', async () => {
    const phone = mobileNumber();
    const user = { phone };
    const defined = await triggers.define(defineEvent(user, PASSWORD_DONE), context);
    expect(defined.response.challengeName).toBe('CUSTOM_CHALLENGE');

    const first = (await triggers.create(createEvent(user, PASSWORD_DONE), context)).response;
    const challengeId = first.privateChallengeParameters.challengeId!;
    expect(first.challengeMetadata).toBe(`SMS_MFA:${challengeId}`);
    expect((await outbox(server)).filter((m) => m.to === phone)).toHaveLength(1);
    const code = await lastCode(server, phone);

    const wrong = code === '000000' ? '111111' : '000000';
    const refused = await triggers.verify(
      verifyEvent(user, first.privateChallengeParameters, wrong),
      context,
    );
    expect(refused.response.answerCorrect).toBe(false);
    let session: ChallengeResult[] = [
      ...PASSWORD_DONE,
      {
        challengeName: 'CUSTOM_CHALLENGE',
        challengeResult: false,
        challengeMetadata: first.challengeMetadata,
      },
    ];
    expect((await triggers.define(defineEvent(user, session), context)).response.challengeName).toBe(
      'CUSTOM_CHALLENGE',
    );

    const second = (await triggers.create(createEvent(user, session), context)).response;
    expect(second.privateChallengeParameters).toEqual({ challengeId });
    expect((await outbox(server)).filter((m) => m.to === phone)).toHaveLength(1);
    const approved = await triggers.verify(
      verifyEvent(user, second.privateChallengeParameters, code),
      context,
    );
    expect(approved.response.answerCorrect).toBe(true);
    session = [
      ...session,
      {
        challengeName: 'CUSTOM_CHALLENGE',
        challengeResult: true,
        challengeMetadata: second.challengeMetadata,
      },
    ];
    expect((await triggers.define(defineEvent(user, session), context)).response).toEqual({
      issueTokens: true,
      failAuthentication: false,
    });

    // The service's events tell the story, with source "cognito" on the send and no code anywhere.
    const events = (await readFile(join(server.dataDir, 'events.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
      .filter((event) => event.data.challengeId === challengeId);
    expect(events.map((event) => event.type)).toEqual([
      'challenge.created',
      'code.sent',
      'challenge.approved',
    ]);
    expect(events[1]!.data).toMatchObject({ source: 'cognito', storeId, outcome: 'accepted' });
    for (const event of events) expect(eventLineSchema.safeParse(event).error?.issues ?? []).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(code);
  });
});
