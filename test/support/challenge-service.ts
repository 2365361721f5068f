import {
  ChallengeService,
  type ChallengeServiceDeps,
} from '../../shared/domain/challenges/challenge-service.ts';
import type { IdentityStore } from '../../shared/domain/identity-stores/identity-store.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import { cryptoRandom } from '../../shared/ports/random.ts';
import { noTelemetry } from '../../shared/ports/telemetry.ts';
import { fixedPepper } from './fixed-pepper.ts';

/**
 * The challenge service on the given storage ports (in-memory fakes or the DynamoDB adapters), with one
 * store (`store()` is read at each call, so a test may replace it), a fixed pepper and no notices.
 */
export function challengeServiceOn(
  storage: Pick<ChallengeServiceDeps, 'challenges' | 'factors' | 'ledger' | 'counters'>,
  options: { store: () => IdentityStore; delivery: ChallengeServiceDeps['delivery']; clock: Clock },
): ChallengeService {
  return new ChallengeService({
    ...storage,
    stores: { get: async (id) => (id === options.store().id ? options.store() : undefined) },
    delivery: options.delivery,
    notifier: { notify: async () => undefined },
    pepper: fixedPepper(Buffer.from('pepper')),
    clock: options.clock,
    random: cryptoRandom,
    telemetry: noTelemetry,
  });
}
