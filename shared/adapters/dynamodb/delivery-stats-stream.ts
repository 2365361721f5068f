import { approvalOf } from '../../domain/challenges/challenge.ts';
import { hourOf } from '../../domain/routing/delivery-counts.ts';
import { UNKNOWN_COUNTRY } from '../../domain/sending/route-choice.ts';
import type { SendHistory } from '../../ports/send-history.ts';
import type { StatsIncrement } from './delivery-stats-table.ts';

/** One change of a table item as the stream shows it (NEW_AND_OLD_IMAGES, unmarshalled). */
export interface ItemChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
}

type Item = Record<string, unknown>;
const text = (item: Item | undefined, name: string) =>
  typeof item?.[name] === 'string' ? (item[name] as string) : undefined;

/** The group a send record counts in; undefined for a test number's send or a send not accepted. */
function sendGroup(send: Item): Omit<StatsIncrement, 'count'> | undefined {
  const summary = send.summary as Item | undefined;
  const storeId = text(send, 'storeId');
  const gatewayId = text(send, 'gatewayId');
  const at = text(send, 'at');
  if (!storeId || !gatewayId || !at || send.outcome !== 'accepted' || summary?.test === true)
    return undefined;
  return {
    storeId,
    hour: hourOf(Date.parse(at)),
    country: text(send, 'country') ?? UNKNOWN_COUNTRY,
    gatewayId,
    purpose: text(summary, 'purpose') ?? 'unknown',
  };
}

/**
 * The delivery-statistics projection of the table's stream: a send record a gateway accepted, the first
 * receipt status on it, and a challenge's approval, credited to the send whose code verified (found by
 * the code's expiry among the challenge's sends: one Query, off every request's path). Test numbers and
 * relayed codes (they have no send record) count nothing.
 */
export async function deliveryIncrements(
  change: ItemChange,
  history: Pick<SendHistory, 'history'>,
): Promise<StatsIncrement[]> {
  const { oldImage, newImage } = change;
  if (!newImage) return [];
  if (newImage.entity === 'send') {
    const group = sendGroup(newImage);
    if (!group) return [];
    if (change.eventName === 'INSERT') return [{ ...group, count: 'accepted' }];
    const status = text(newImage, 'deliveryStatus');
    if (change.eventName !== 'MODIFY' || !status || text(oldImage, 'deliveryStatus')) return [];
    return [{ ...group, count: status === 'delivered' ? 'delivered' : 'failed' }];
  }
  if (newImage.entity !== 'challenge' || change.eventName !== 'MODIFY' || newImage.test === true) return [];
  const approval = approvalOf(newImage as Parameters<typeof approvalOf>[0]);
  if (!approval || (oldImage && approvalOf(oldImage as Parameters<typeof approvalOf>[0]))) return [];
  const expiry = (newImage.codes as Record<string, number>)[approval.hash];
  const challengeId = text(newImage, 'id');
  if (expiry === undefined || !challengeId) return [];
  const stored = await history.history(challengeId);
  const carrier = stored?.sends.find(
    (send) => send.outcome === 'accepted' && send.codeExpiresAt === new Date(expiry).toISOString(),
  );
  const group =
    carrier &&
    sendGroup({ ...carrier, storeId: stored?.storeId, summary: { purpose: newImage.purpose, test: false } });
  return group ? [{ ...group, count: 'approved' }] : [];
}
