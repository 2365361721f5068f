import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { auditCommitted, pendingAudit } from '../../domain/audit/audit-scope.ts';
import { Conflict } from '../../domain/errors.ts';
import { auditPart } from './audit-items.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One write of a transaction, named for what it means, so a refusal says which part refused. */
export interface NamedPart<N extends string> {
  name: N;
  write: TransactItem;
}

export interface RefusedPart<N extends string> {
  name: N;
  /** The item as it was, where the failing condition asked for it. */
  item?: Record<string, unknown>;
}

/** Thrown when a transaction's own conditions failed; other cancellations (conflicts) are retried. */
export class ConditionsFailed<N extends string = string> extends Error {
  constructor(readonly refused: RefusedPart<N>[]) {
    super(`transaction conditions failed: ${refused.map((part) => part.name).join(', ')}`);
  }

  /** The first refused part among `names`, in the order given. */
  first<M extends N>(...names: M[]): RefusedPart<M> | undefined {
    for (const name of names) {
      const part = this.refused.find((p) => p.name === name);
      if (part) return part as RefusedPart<M>;
    }
    return undefined;
  }

  /** For transactions run with `transactWrite`, whose parts are named by position. */
  at(index: number): { index: number; item?: Record<string, unknown> } | undefined {
    const part = this.refused.find((p) => p.name === String(index));
    return part && { index, ...(part.item ? { item: part.item } : {}) };
  }
}

/**
 * Runs a transaction of named parts, turning ConditionalCheckFailed cancellations into ConditionsFailed
 * with the refusing parts' names. A TransactionConflict (another transaction on the same items) is retried
 * with jittered backoff, and answered as a 409 when it persists.
 *
 * Within an admin write (domain/audit/audit-scope.ts), the request's audit record is added as the last
 * part (api.md "Audit is not a side path"): the change and its record commit together or not at all, and
 * the parts before it keep their positions. The first transaction of the request that commits carries it.
 */
export async function transactParts<N extends string>(
  client: DynamoDBDocumentClient,
  parts: readonly NamedPart<N>[],
  retries = 8,
): Promise<void> {
  const audit = pendingAudit(createdIdOf(parts));
  const tableName = tableOf(parts);
  const all: readonly NamedPart<N | 'audit'>[] =
    audit && tableName ? [...parts, auditPart(tableName, audit)] : parts;
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: all.map((part) => part.write) }));
      if (audit && tableName) auditCommitted(audit);
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const refused = reasons.flatMap((reason, index) => {
        const part = all[index];
        if (reason.Code !== 'ConditionalCheckFailed' || !part) return [];
        return [{ name: part.name, ...(reason.Item ? { item: unmarshall(reason.Item) } : {}) }];
      });
      if (refused.length > 0) throw new ConditionsFailed(refused);
      if (!reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
      if (attempt >= retries)
        throw new Conflict('Another request changed the same data at the same moment; retry.');
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * (attempt + 1)));
    }
  }
}

/** The id of the item the transaction creates (its first Put's), which a create's audit record names. */
function createdIdOf(parts: readonly NamedPart<string>[]): string | undefined {
  const id = parts.find((part) => part.write.Put)?.write.Put?.Item?.id;
  return typeof id === 'string' ? id : undefined;
}

function tableOf(parts: readonly NamedPart<string>[]): string | undefined {
  const write = parts[0]?.write;
  return (write?.Put ?? write?.Update ?? write?.Delete ?? write?.ConditionCheck)?.TableName;
}

/** Ignores a refused condition on a best-effort write; anything else is a real failure. */
export function ignoreConditionFailure(error: unknown): void {
  if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
}

/**
 * The positional form the admin-plane tables still use: parts are named by their index, so `at(i)` on
 * the ConditionsFailed tells whether part `i` refused.
 */
export async function transactWrite(
  client: DynamoDBDocumentClient,
  input: TransactWriteCommandInput,
  retries = 8,
): Promise<void> {
  const parts = (input.TransactItems ?? []).map((write, index) => ({ name: String(index), write }));
  await transactParts(client, parts, retries);
}
