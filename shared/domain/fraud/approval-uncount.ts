import type { SendCounters } from '../../ports/send-counters.ts';
import type { ChallengeRecord } from '../challenges/challenge.ts';

/**
 * An approval proves the number's owner asked for the code: its sends leave the unverified counts of
 * the hours they were sent in (windows already ended expire with their items, so this is harmless).
 */
export async function takeOffUnverified(
  counters: Pick<SendCounters, 'refund'>,
  challenge: Pick<ChallengeRecord, 'storeId' | 'unverified'>,
): Promise<void> {
  const windows = challenge.unverified ?? [];
  // The phone key is not part of a subject window's key.
  if (windows.length > 0) await counters.refund(challenge.storeId, '-', windows);
}
