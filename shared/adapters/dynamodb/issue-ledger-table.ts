import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IssueLedger, IssueRefusal, NewChallenge, Resend } from '../../ports/issue-ledger.ts';
import { toChallenge, toFactor } from './challenge-items.ts';
import { ChallengeStoreTable } from './challenge-store-table.ts';
import { FactorTable } from './factor-table.ts';
import { SendCounterTable, windowName } from './send-counter-table.ts';
import { ConditionsFailed, transactParts, type NamedPart } from './transactions.ts';
import type { CounterWindow } from '../../domain/sending/send-windows.ts';
import type { PointerTarget, SendPointer } from '../../domain/factors/factor.ts';

/**
 * A send's one transaction, composed of the parts each store owns: the per-phone counters, the challenge,
 * the pointer (with the factor's conditions) and, for a replacement, the approval it consumes. A refusal
 * names the part; the domain decides what it means.
 */
export class IssueLedgerTable implements IssueLedger {
  private readonly challenges: ChallengeStoreTable;
  private readonly factors: FactorTable;
  private readonly counters: SendCounterTable;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    tableName: string,
  ) {
    this.challenges = new ChallengeStoreTable(client, tableName);
    this.factors = new FactorTable(client, tableName);
    this.counters = new SendCounterTable(client, tableName);
  }

  start(input: NewChallenge): Promise<IssueRefusal | null> {
    const { challenge } = input;
    return this.run(input.windows, input.pointer, input.phoneKey, [
      this.challenges.putPart(challenge),
      this.factors.startPointerPart(input),
      ...(input.approval ? [this.challenges.consumePart(input.approval, input.now)] : []),
    ]);
  }

  resend(input: Resend): Promise<IssueRefusal | null> {
    return this.run(input.windows, input.pointer, input.phoneKey, [
      this.challenges.resendPart(input),
      this.factors.resendPointerPart(input),
    ]);
  }

  private async run(
    windows: readonly CounterWindow[],
    pointer: PointerTarget,
    phone: string,
    parts: NamedPart<string>[],
  ): Promise<IssueRefusal | null> {
    const counted = windows.map((window) => this.counters.countPart(pointer.storeId, phone, window));
    try {
      await transactParts(this.client, [...counted, ...parts]);
      return null;
    } catch (error) {
      if (!(error instanceof ConditionsFailed)) throw error;
      const window = windows.find((w) => error.first(windowName(w)));
      if (window) return { part: 'window', window };
      if (error.first('approval')) return { part: 'approval' };
      const challenge = error.first('challenge');
      if (challenge)
        return { part: 'challenge', challenge: challenge.item ? toChallenge(challenge.item) : undefined };
      const item = error.first('pointer')?.item ?? {};
      return pointer.kind === 'user'
        ? { part: 'pointer', factor: toFactor(item) }
        : {
            part: 'pointer',
            ...(item['ptr_verify-phone'] ? { pointer: item['ptr_verify-phone'] as SendPointer } : {}),
          };
    }
  }
}
