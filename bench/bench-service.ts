import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ChallengeStoreTable } from '../shared/adapters/dynamodb/challenge-store-table.ts';
import { FactorTable } from '../shared/adapters/dynamodb/factor-table.ts';
import { IssueLedgerTable } from '../shared/adapters/dynamodb/issue-ledger-table.ts';
import { SendCounterTable } from '../shared/adapters/dynamodb/send-counter-table.ts';
import { ChallengeService } from '../shared/domain/challenges/challenge-service.ts';
import type { IdentityStore } from '../shared/domain/identity-stores/identity-store.ts';
import { SmsDelivery } from '../shared/domain/sending/sms-delivery.ts';
import { systemClock } from '../shared/ports/clock.ts';
import type { IssueLedger } from '../shared/ports/issue-ledger.ts';
import { cryptoRandom } from '../shared/ports/random.ts';
import type { OutboundSms } from '../shared/ports/sms-sender.ts';
import { noTelemetry } from '../shared/ports/telemetry.ts';
import { fixedPepper } from '../test/support/fixed-pepper.ts';
import { storeFixture, type StoreOverrides } from '../test/support/store-fixture.ts';

const CONSOLE_GATEWAY = { id: 'gw_console', type: 'console', name: 'console' } as never;

/**
 * The challenge core on DynamoDB (Local) with one console-like gateway whose provider is `send`: what the
 * bench's in-process scenarios drive. `ledger` wraps the table's ledger (hot-store's "before" design).
 */
export function benchChallengeService(
  documents: DynamoDBDocumentClient,
  tableName: string,
  store: IdentityStore,
  send: (sms: OutboundSms) => void = () => undefined,
  ledger: (table: IssueLedger) => IssueLedger = (table) => table,
): ChallengeService {
  const delivery = new SmsDelivery(
    {
      connection: async () => ({ gateway: CONSOLE_GATEWAY, credentials: {} }),
      gateway: async () => CONSOLE_GATEWAY,
    },
    {
      forType: () => ({
        send: async (_gateway: unknown, _credentials: unknown, sms: OutboundSms) => {
          send(sms);
          return { providerMessageId: 'bench' };
        },
      }),
    },
    noTelemetry,
    5000,
  );
  return new ChallengeService({
    challenges: new ChallengeStoreTable(documents, tableName),
    factors: new FactorTable(documents, tableName),
    ledger: ledger(new IssueLedgerTable(documents, tableName)),
    counters: new SendCounterTable(documents, tableName),
    stores: { get: async () => store },
    delivery,
    notifier: { notify: async () => undefined },
    pepper: fixedPepper(Buffer.from('bench-pepper')),
    clock: systemClock,
    random: cryptoRandom,
    telemetry: noTelemetry,
  });
}

/** A store on the bench's one console gateway; scenarios override what they measure. */
export function benchStore(id: string, overrides: StoreOverrides = {}): IdentityStore {
  return storeFixture({ id, name: id, ...overrides, smsAuth: { gatewayId: 'gw_console' } });
}
