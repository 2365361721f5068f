import { beforeEach, describe, expect, it } from 'vitest';
import type { ChallengeService } from '../../shared/domain/challenges/challenge-service.ts';
import type { ChallengeResult } from '../../shared/domain/cognito-auth/cognito-auth.ts';
import type { CognitoAuthSettings } from '../../shared/domain/cognito-auth/create-auth-challenge.ts';
import {
  DEFAULT_CODE_POLICY,
  type IdentityStore,
} from '../../shared/domain/identity-stores/identity-store.ts';
import {
  createEvent,
  defineEvent,
  PASSWORD_DONE,
  recordingDelivery,
  SUB,
  verifyEvent,
  type CognitoUser,
} from '../support/cognito-auth-events.ts';
import { challengeServiceOn } from '../support/challenge-service.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { MemoryChallengePorts } from '../support/memory-challenge-ports.ts';
import { storeFixture } from '../support/store-fixture.ts';

/**
 * SmsMfaCognitoCustomAuth's three triggers on the challenge use cases, against in-memory ports, with
 * events in Cognito's shape (see test/support/cognito-auth-events.ts for the documentation pages).
 */
const T0 = Date.UTC(2026, 11, 1, 9);
const PHONE = '+447400123456';
const user: CognitoUser = { phone: PHONE };

let ports: MemoryChallengePorts;
let clock: ManualClock;
let store: IdentityStore;
let recorder: ReturnType<typeof recordingDelivery>;
let service: ChallengeService;
let settings: CognitoAuthSettings;

beforeEach(() => {
  ports = new MemoryChallengePorts();
  clock = new ManualClock(T0);
  recorder = recordingDelivery();
  store = storeFixture({
    codePolicy: { ...DEFAULT_CODE_POLICY, maxAttempts: 3, resendIntervalSeconds: 30 },
  });
  settings = { storeId: store.id, requireVerifiedPhone: true };
  service = challengeServiceOn(ports, { store: () => store, delivery: recorder.delivery, clock });
});

/** One CUSTOM_CHALLENGE round as Cognito runs it: Create, then Verify of the answer; the session grows. */
async function round(session: ChallengeResult[], answer: string | (() => string), metadata = {}) {
  const created = await service.cognito.create.run(settings, createEvent(user, session, metadata));
  const code = typeof answer === 'string' ? answer : answer();
  const verdict = await service.cognito.verify.run(
    store.id,
    verifyEvent(user, created.privateChallengeParameters, code, metadata),
  );
  const next = [
    ...session,
    {
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: verdict.answerCorrect,
      challengeMetadata: created.challengeMetadata,
    },
  ];
  return { created, verdict, session: next };
}

const define = (session: ChallengeResult[]) => service.cognito.define.run(defineEvent(user, session));

describe('Cognito custom auth', () => {
  it('runs password, then one sms-mfa code: Define -> Create -> Verify -> tokens', async () => {
    const srp: ChallengeResult[] = [{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: '' }];
    expect(await define(srp)).toEqual({
      challengeName: 'PASSWORD_VERIFIER',
      issueTokens: false,
      failAuthentication: false,
    });
    expect(await define(PASSWORD_DONE)).toEqual({
      challengeName: 'CUSTOM_CHALLENGE',
      issueTokens: false,
      failAuthentication: false,
    });
    const { created, verdict, session } = await round(PASSWORD_DONE, () => recorder.lastCode());
    expect(recorder.sent.map((sms) => sms.to)).toEqual([PHONE]);
    // Only the challenge id is private; the metadata carries it to the next round; no code anywhere.
    const id = created.privateChallengeParameters.challengeId!;
    expect(created.privateChallengeParameters).toEqual({ challengeId: id });
    expect(created.challengeMetadata).toBe(`SMS_MFA:${id}`);
    expect(created.publicChallengeParameters).toMatchObject({
      maskedPhone: '+44*******456',
      attemptsRemaining: '3',
      codeSent: 'true',
    });
    const code = recorder.lastCode();
    expect(JSON.stringify(created)).not.toContain(code);
    expect(JSON.stringify([...ports.challengeItems.values()])).not.toContain(code);
    expect(ports.challengeItems.get(id)).toMatchObject({
      purpose: 'authenticate',
      userId: SUB,
      phone: PHONE,
    });
    expect(verdict).toEqual({ answerCorrect: true });
    expect(await define(session)).toEqual({ issueTokens: true, failAuthentication: false });
  });

  it('a wrong answer keeps the same challenge id and sends nothing new; the right code then passes', async () => {
    const first = await round(PASSWORD_DONE, '000000');
    expect(first.verdict.answerCorrect).toBe(false);
    expect((await define(first.session)).challengeName).toBe('CUSTOM_CHALLENGE');
    const second = await round(first.session, () => recorder.lastCode());
    expect(second.created.privateChallengeParameters).toEqual(first.created.privateChallengeParameters);
    expect(second.created.publicChallengeParameters).toMatchObject({
      codeSent: 'false',
      attemptsRemaining: '2',
    });
    expect(recorder.sent).toHaveLength(1);
    expect(second.verdict.answerCorrect).toBe(true);
    expect((await define(second.session)).issueTokens).toBe(true);
  });

  it("maxAttempts wrong answers (the policy's 3) fail the authentication", async () => {
    let session = PASSWORD_DONE;
    const decisions = [];
    for (let i = 0; i < 3; i++) {
      ({ session } = await round(session, '000000'));
      decisions.push(await define(session));
    }
    expect(decisions.map((d) => d.failAuthentication)).toEqual([false, false, true]);
    const id = session.at(-1)!.challengeMetadata!.slice('SMS_MFA:'.length);
    expect(ports.challengeItems.get(id)?.attempts).toBe(3);
    // The right code is refused now too: the challenge is dead.
    const late = await service.cognito.verify.run(
      store.id,
      verifyEvent(user, { challengeId: id }, recorder.lastCode()),
    );
    expect(late.answerCorrect).toBe(false);
  });

  it('a resend round sends a new code for the same challenge, counts no attempt, and respects the interval', async () => {
    const resend = { smsMfa: 'resend' };
    const first = await round(PASSWORD_DONE, '000000');
    const early = await round(first.session, 'ignored', resend);
    expect(early.created.privateChallengeParameters).toEqual(first.created.privateChallengeParameters);
    expect(early.created.publicChallengeParameters.codeSent).toBe('false');
    expect(recorder.sent).toHaveLength(1);
    clock.advance(31_000);
    const later = await round(early.session, 'ignored', resend);
    expect(later.created.privateChallengeParameters).toEqual(first.created.privateChallengeParameters);
    expect(later.created.publicChallengeParameters.codeSent).toBe('true');
    expect(recorder.sent).toHaveLength(2);
    const id = first.created.privateChallengeParameters.challengeId!;
    expect(ports.challengeItems.get(id)).toMatchObject({ attempts: 1, sends: 2 });
    expect((await define(later.session)).challengeName).toBe('CUSTOM_CHALLENGE');
    const done = await round(later.session, () => recorder.lastCode());
    expect(done.verdict.answerCorrect).toBe(true);
  });

  it('userNotFound: no provider call, a challenge-shaped answer, and Verify says false', async () => {
    const ghost: CognitoUser = { notFound: true };
    const created = await service.cognito.create.run(settings, createEvent(ghost, PASSWORD_DONE));
    expect(recorder.sent).toEqual([]);
    expect(ports.challengeItems.size).toBe(0);
    expect(created.challengeMetadata).toBe(`SMS_MFA:${created.privateChallengeParameters.challengeId}`);
    const verdict = await service.cognito.verify.run(
      store.id,
      verifyEvent(ghost, created.privateChallengeParameters, '123456'),
    );
    expect(verdict.answerCorrect).toBe(false);
  });

  it('needs a verified phone_number unless configured otherwise; sends within the 5-second trigger limit', async () => {
    const unverified: CognitoUser = { phone: PHONE, verified: false };
    await expect(
      service.cognito.create.run(settings, createEvent(unverified, PASSWORD_DONE)),
    ).rejects.toMatchObject({ slug: 'forbidden' });
    await expect(service.cognito.create.run(settings, createEvent({}, PASSWORD_DONE))).rejects.toMatchObject({
      slug: 'forbidden',
    });
    expect(recorder.sent).toEqual([]);
    await service.cognito.create.run(
      { ...settings, requireVerifiedPhone: false },
      createEvent(unverified, PASSWORD_DONE),
    );
    expect(recorder.sent).toHaveLength(1);
    expect(recorder.sent[0]!.budgetMs).toBeLessThanOrEqual(3_000);
  });

  it('fails a session that skipped the password or answered another challenge', async () => {
    expect((await define([])).failAuthentication).toBe(true);
    const badPassword = [PASSWORD_DONE[0]!, { ...PASSWORD_DONE[1]!, challengeResult: false }];
    expect((await define(badPassword)).failAuthentication).toBe(true);
    const smuggled = [...PASSWORD_DONE, { challengeName: 'SMS_MFA', challengeResult: true }];
    expect((await define(smuggled)).failAuthentication).toBe(true);
  });

  it("the user's lockout applies: 10 failures across sign-ins lock the factor and Create refuses", async () => {
    store = { ...store, codePolicy: { ...store.codePolicy, maxAttempts: 10 } };
    let session = PASSWORD_DONE;
    for (let i = 0; i < 10; i++) ({ session } = await round(session, '000000'));
    expect((await define(session)).failAuthentication).toBe(true);
    clock.advance(60_000);
    await expect(
      service.cognito.create.run(settings, createEvent(user, PASSWORD_DONE)),
    ).rejects.toMatchObject({ slug: 'too-many-attempts' });
    expect(recorder.sent).toHaveLength(1);
  });
});
