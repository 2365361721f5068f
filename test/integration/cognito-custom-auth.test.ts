import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChallengeStoreTable } from '../../shared/adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../../shared/adapters/dynamodb/factor-table.ts';
import { IssueLedgerTable } from '../../shared/adapters/dynamodb/issue-ledger-table.ts';
import { SendCounterTable } from '../../shared/adapters/dynamodb/send-counter-table.ts';
import {
  createEvent,
  PASSWORD_DONE,
  recordingDelivery,
  verifyEvent,
} from '../support/cognito-auth-events.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { challengeServiceOn } from '../support/challenge-service.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { storeFixture } from '../support/store-fixture.ts';

/**
 * The Cognito custom-auth triggers on the DynamoDB adapters: the Verify trigger's verdict is the real
 * conditional write's, so parallel answers with the right code approve once.
 */
let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});
afterAll(async () => {
  await table.drop();
});

describe('Cognito custom auth on DynamoDB Local', () => {
  it('50 parallel Verify calls with the right code give exactly one answerCorrect: true', async () => {
    const { documents, tableName } = table;
    const store = storeFixture();
    const recorder = recordingDelivery();
    const storage = {
      challenges: new ChallengeStoreTable(documents, tableName),
      factors: new FactorTable(documents, tableName),
      ledger: new IssueLedgerTable(documents, tableName),
      counters: new SendCounterTable(documents, tableName),
    };
    const clock = new ManualClock(Date.now());
    const service = challengeServiceOn(storage, { store: () => store, delivery: recorder.delivery, clock });
    const user = { phone: '+447400123456' };
    const settings = { storeId: store.id, requireVerifiedPhone: true };
    const created = await service.cognito.create.run(settings, createEvent(user, PASSWORD_DONE));
    expect(recorder.sent).toHaveLength(1);
    const code = recorder.lastCode();
    const verdicts = await Promise.all(
      Array.from({ length: 50 }, () =>
        service.cognito.verify.run(store.id, verifyEvent(user, created.privateChallengeParameters, code)),
      ),
    );
    expect(verdicts.filter((verdict) => verdict.answerCorrect)).toHaveLength(1);
    // The table holds the challenge and the user's pointer, with the code only as a hash.
    const items = JSON.stringify(await table.scanAll());
    expect(items).toContain(created.privateChallengeParameters.challengeId);
    expect(items).not.toContain(code);
  });
});
