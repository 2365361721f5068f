import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '../shared/adapters/dynamodb/document-client.ts';
import { ensureTable } from '../shared/adapters/dynamodb/ensure-table.ts';
import {
  DEFAULT_CODE_POLICY,
  DEFAULT_FRAUD_GUARD,
  DEFAULT_SEND_LIMITS,
  type FraudGuardMode,
} from '../shared/domain/identity-stores/identity-store.ts';
import { benchChallengeService, benchStore } from './bench-service.ts';
import { median } from './stats.ts';

export interface PumpingResult {
  pumpedSends: number;
  rangeNumbers: number;
  legitSignIns: number;
  /** `fraudGuard.maxUnverifiedPerPrefixPerHour` of the run. */
  configuredMax: number;
  /** Messages that reached the provider for numbers of the pumped range (at most configuredMax). */
  rangeMessages: number;
  /** Legitimate sign-ins (send, then verify with the code) that were approved (all of them). */
  legitSucceeded: number;
  /** Pumped sends refused, by problem slug. */
  refused: Record<string, number>;
  /** Provider calls made while a refused send was handled (0). */
  providerCallsForRefused: number;
  /** Median issue latency of the legitimate sends with the guard on and off, and the difference. */
  guardOnMedianMs: number;
  guardOffMedianMs: number;
  addedLatencyMs: number;
}

const RANGE = '+44741234';
const MAX_PER_PREFIX = 20;

/**
 * The pumping simulation (issue 13): `pumped` sends spread over 100 numbers of one range, interleaved
 * with `legit` sign-ins elsewhere that verify, against DynamoDB Local; then the same legitimate traffic
 * with the guard off, for the latency the guard adds. Counts are exact; the latencies depend on the machine.
 */
export async function benchPumping(endpoint: string, pumped = 1000, legit = 200): Promise<PumpingResult> {
  const tableName = `pump-${randomBytes(4).toString('hex')}`;
  await ensureTable(new DynamoDBClient({ endpoint }), tableName);
  const documents = createDocumentClient({ endpoint });
  const storeOf = (mode: FraudGuardMode, id: string) =>
    benchStore(id, {
      codePolicy: { ...DEFAULT_CODE_POLICY, resendIntervalSeconds: 0 },
      sendLimits: { ...DEFAULT_SEND_LIMITS, perPhonePer10Minutes: 1000, perPhonePerDay: 1000 },
      fraudGuard: {
        ...DEFAULT_FRAUD_GUARD,
        mode,
        prefixDigits: 9,
        maxUnverifiedPerPrefixPerHour: MAX_PER_PREFIX,
      },
    });
  const sent: { to: string; body: string }[] = [];
  const run = async (mode: FraudGuardMode, storeId: string, withPumping: boolean, offset: number) => {
    const service = benchChallengeService(documents, tableName, storeOf(mode, storeId), (sms) =>
      sent.push({ to: sms.to, body: sms.body }),
    );
    const refused: Record<string, number> = {};
    let providerCallsForRefused = 0;
    let legitSucceeded = 0;
    const latencies: number[] = [];
    for (let i = 0; i < (withPumping ? pumped : legit * 5); i++) {
      if (withPumping) {
        const before = sent.length;
        try {
          await service.verifyPhone(storeId, `${RANGE}${String(5000 + (i % 100)).padStart(4, '0')}`);
        } catch (error) {
          const slug = (error as { slug?: string }).slug ?? 'error';
          refused[slug] = (refused[slug] ?? 0) + 1;
          providerCallsForRefused += sent.length - before;
        }
      }
      if (i % 5 !== 0) continue;
      const phone = `+4475${String(offset + i / 5).padStart(8, '0')}`;
      const started = performance.now();
      const challenge = await service.verifyPhone(storeId, phone);
      latencies.push(performance.now() - started);
      const code = /(\d{6})/.exec(sent.filter((m) => m.to === phone).at(-1)?.body ?? '')?.[1] ?? '';
      if ((await service.verify(storeId, challenge.id, code)).status === 'approved') legitSucceeded++;
    }
    return { refused, providerCallsForRefused, legitSucceeded, medianMs: median(latencies) };
  };
  const attack = await run('enforce', 'ids_pump', true, 10_000_000);
  const rangeMessages = sent.filter((m) => m.to.startsWith(RANGE)).length;
  const off = await run('off', 'ids_pump_off', false, 20_000_000);
  return {
    pumpedSends: pumped,
    rangeNumbers: 100,
    legitSignIns: legit,
    configuredMax: MAX_PER_PREFIX,
    rangeMessages,
    legitSucceeded: attack.legitSucceeded,
    refused: attack.refused,
    providerCallsForRefused: attack.providerCallsForRefused,
    guardOnMedianMs: attack.medianMs,
    guardOffMedianMs: off.medianMs,
    addedLatencyMs: attack.medianMs - off.medianMs,
  };
}

// `npx tsx bench/pumping.ts`: this scenario alone (its own DynamoDB Local), printed as JSON.
if (import.meta.url === `file://${process.argv[1]}`) {
  // DynamoDB Local takes any credentials; the SDK still wants some, and a region.
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const { startDynamoDbLocal } = await import('../local/dynamodb-local.ts');
  const dynamodb = await startDynamoDbLocal();
  try {
    process.stdout.write(`${JSON.stringify(await benchPumping(dynamodb.endpoint), null, 2)}\n`);
  } finally {
    dynamodb.stop();
  }
}
