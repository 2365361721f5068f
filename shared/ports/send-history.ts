import type { ChallengeRecord } from '../domain/challenges/challenge.ts';
import type {
  ChallengeEnd,
  ChallengeSummary,
  DeliveryStatus,
  MessageRef,
  SendRecord,
  SendUsage,
} from '../domain/deliveries/send-record.ts';

/** A challenge's history as stored: its item while it lives, and its sends (with their summary) longer. */
export interface StoredHistory {
  storeId: string;
  challenge?: ChallengeRecord;
  summary?: ChallengeSummary;
  end?: ChallengeEnd;
  sends: SendRecord[];
}

/**
 * The sends of each challenge, beside its item (never on it: the verify path reads and writes the
 * challenge item alone), and the provider message ids that delivery receipts name.
 */
export interface SendHistory {
  /** One provider attempt of a challenge, with a summary of its challenge (the history outlives the challenge item). */
  recordSend(
    storeId: string,
    challengeId: string,
    send: SendRecord,
    summary?: ChallengeSummary,
    usage?: SendUsage,
  ): Promise<void>;
  /** The pointer from an attempt's provider message id to its send, which the message's receipts find. */
  recordMessage(ref: MessageRef): Promise<void>;
  /** How the challenge ended, kept as long as its sends. */
  recordEnd(storeId: string, challengeId: string, end: ChallengeEnd): Promise<void>;
  /** The challenge and its sends, oldest first, in one read (undefined: neither is there). */
  history(challengeId: string): Promise<StoredHistory | undefined>;
  /** The send a receipt names, if it is known. */
  findMessage(gatewayId: string, providerMessageId: string): Promise<MessageRef | undefined>;
  /** Records a terminal status; false when the send already had one (terminal statuses are final). */
  markDelivery(
    ref: MessageRef,
    status: DeliveryStatus,
    at: number,
    /** The provider's price in millionths of the store's currency: the send's `reportedCost`. */
    reportedCost?: number,
  ): Promise<boolean>;
}
