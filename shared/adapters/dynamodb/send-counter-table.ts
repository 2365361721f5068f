import { conditionalUpdate } from './conditional-writes.ts';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CounterWindow } from '../../domain/sending/send-windows.ts';
import type { SendCounters } from '../../ports/send-counters.ts';
import { counterKey, ownerSets, seconds } from './challenge-items.ts';
import { ConditionsFailed, transactParts, type NamedPart } from './transactions.ts';

/** Counter items: `n` per window with a TTL just past the window's end. */
export class SendCounterTable implements SendCounters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The Update that counts one send on a window, refused once the window is full. */
  countPart(storeId: string, phone: string, window: CounterWindow): NamedPart<string> {
    const key = counterKey(storeId, phone, window);
    const owner = ownerSets(storeId, key.pk);
    return {
      name: windowName(window),
      write: {
        Update: {
          TableName: this.tableName,
          Key: key,
          // `lim` and `until` let the blocks list show a full window without knowing the store's settings.
          UpdateExpression: `ADD n :one SET #ttl = :ttl, lim = :lim, #until = :until, ${owner.expression}`,
          // A lifted block (the blocks route) takes every send until its window ends.
          ConditionExpression: 'attribute_not_exists(n) OR n <= :room OR attribute_exists(#lifted)',
          ExpressionAttributeNames: { '#ttl': 'ttl', '#until': 'until', '#lifted': 'lifted' },
          ExpressionAttributeValues: {
            ':one': window.amount ?? 1,
            ':room': window.max - (window.amount ?? 1),
            ':lim': window.max,
            ':until': window.endsAt,
            ':ttl': seconds(window.endsAt) + 60,
            ...owner.values,
          },
        },
      },
    };
  }

  async count(
    storeId: string,
    phone: string,
    windows: readonly CounterWindow[],
  ): Promise<CounterWindow | null> {
    // A single counter needs no transaction (and so never conflicts with one).
    if (windows.length === 1)
      return (await this.countOne(storeId, phone, windows[0]!)) === null ? windows[0]! : null;
    const parts = windows.map((window) => this.countPart(storeId, phone, window));
    try {
      await transactParts(this.client, parts);
      return null;
    } catch (error) {
      if (error instanceof ConditionsFailed) {
        return windows.find((window) => error.first(windowName(window))) ?? windows[0] ?? null;
      }
      throw error;
    }
  }

  async countOne(storeId: string, phone: string, window: CounterWindow): Promise<number | null> {
    try {
      const result = await this.client.send(
        new UpdateCommand({
          ...this.countPart(storeId, phone, window).write.Update!,
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return (result.Attributes?.n as number | undefined) ?? 0;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return null;
      throw error;
    }
  }

  async refund(storeId: string, phone: string, windows: readonly CounterWindow[]): Promise<void> {
    await Promise.all(
      windows.map((window) =>
        conditionalUpdate(this.client, {
          TableName: this.tableName,
          Key: counterKey(storeId, phone, window),
          UpdateExpression: 'ADD n :minus',
          ConditionExpression: 'n >= :amount',
          ExpressionAttributeValues: { ':minus': -(window.amount ?? 1), ':amount': window.amount ?? 1 },
        }),
      ),
    );
  }
}

export function windowName(window: CounterWindow): string {
  const name = window.subject === undefined ? window.limit : `${window.limit}#${window.subject}`;
  return window.shard === undefined ? name : `${name}#${window.shard}`;
}
