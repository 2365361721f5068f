import type { ChallengeRecord } from '../domain/challenges/challenge.ts';
import type { DeliveryStatus, MessageRef, SendRecord } from '../domain/deliveries/send-record.ts';

/**
 * The sends of each challenge, beside its item (never on it: the verify path reads and writes the
 * challenge item alone), and the provider message ids that delivery receipts name.
 */
export interface SendHistory {
  /** One provider attempt of a challenge. */
  recordSend(storeId: string, challengeId: string, send: SendRecord): Promise<void>;
  /** The pointer from an attempt's provider message id to its send, which the message's receipts find. */
  recordMessage(ref: MessageRef): Promise<void>;
  /** The challenge and its sends, oldest first, in one read (undefined: no such challenge). */
  history(challengeId: string): Promise<{ challenge: ChallengeRecord; sends: SendRecord[] } | undefined>;
  /** The send a receipt names, if it is known. */
  findMessage(gatewayId: string, providerMessageId: string): Promise<MessageRef | undefined>;
  /** Records a terminal status; false when the send already had one (terminal statuses are final). */
  markDelivery(ref: MessageRef, status: DeliveryStatus, at: number): Promise<boolean>;
}
