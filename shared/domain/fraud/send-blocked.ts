import { DomainError } from '../errors.ts';
import type { FraudLimit } from '../sending/send-windows.ts';

export type BlockReason =
  | 'prefix-velocity'
  | 'country-velocity'
  | 'client-ip-velocity'
  | 'application-velocity'
  | 'store-budget'
  | 'country-budget';

export const BLOCK_REASONS: Record<FraudLimit, BlockReason> = {
  prefixPerHour: 'prefix-velocity',
  countryPerHour: 'country-velocity',
  clientIpPer10Minutes: 'client-ip-velocity',
  applicationPerMinute: 'application-velocity',
  storeSpendPerDay: 'store-budget',
  countrySpendPerDay: 'country-budget',
};

const DETAILS: Record<BlockReason, string> = {
  'prefix-velocity': 'Too many unverified codes went to numbers of this range in this hour.',
  'country-velocity': 'Too many unverified codes went to numbers of this country in this hour.',
  'client-ip-velocity': 'Too many codes were asked for from this client address in the last 10 minutes.',
  'application-velocity': 'Too many codes were asked for by this application in this minute.',
  'store-budget': "The identity store's daily SMS budget would be exceeded.",
  'country-budget': "The daily SMS budget for this number's country would be exceeded.",
};

/** `422 send-blocked`: the fraud guard or a spend limit refused the send; Retry-After when its window ends. */
export class SendBlocked extends DomainError {
  constructor(
    readonly reason: BlockReason,
    retryAfterSeconds: number,
  ) {
    super(
      'send-blocked',
      422,
      'Send blocked',
      DETAILS[reason],
      { reason },
      retryAfterHeader(retryAfterSeconds),
    );
  }
}

function retryAfterHeader(seconds: number): Record<string, string> {
  return { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) };
}
