import { generateCode } from '../codes/code.ts';
import {
  classifyNumber,
  NUMBER_TREATMENT,
  numberWindows,
  testCodeDigestOf,
  type NumberTreatment,
} from '../sending/number-class.ts';
import type { CounterWindow } from '../sending/send-windows.ts';
import type { IssueDeps, IssueRequest } from './pending-send.ts';
import { countStoreSend } from './send-ledger.ts';

/** The request with its number classified once (number-class.ts); every later step reads `numberClass`. */
export function classified(
  request: IssueRequest,
): IssueRequest & Required<Pick<IssueRequest, 'numberClass'>> {
  return {
    ...request,
    numberClass: request.numberClass ?? classifyNumber(request.store, request.phone.e164),
  };
}

export function treatmentOf(request: IssueRequest): NumberTreatment {
  return NUMBER_TREATMENT[request.numberClass ?? 'ordinary'];
}

/**
 * What the challenge's hash is taken over: a random code, or for a test number the store's keyed digest
 * of its fixed code (verify-code.ts hashes a submitted code's digest too), so no plain code is needed.
 */
export function issuedCode(deps: Pick<IssueDeps, 'random'>, request: IssueRequest): string {
  const fixed = treatmentOf(request).fixedCode
    ? testCodeDigestOf(request.store, request.phone.e164)
    : undefined;
  return fixed ?? generateCode(deps.random, request.store.codePolicy.length);
}

/** The per-number windows counted inside the send's transaction. */
export function issueWindows(request: IssueRequest, now: number): CounterWindow[] {
  return numberWindows(request.store.sendLimits, request.numberClass ?? 'ordinary', now);
}

/** The store-wide count beside the transaction; a test number takes none (resolves null, not "full"). */
export function countIssuedStoreSend(
  deps: Pick<IssueDeps, 'counters' | 'random'>,
  request: IssueRequest,
  now: number,
): Promise<CounterWindow | null> {
  if (!treatmentOf(request).storeWide) return Promise.resolve(null);
  const { store, phoneKey } = request;
  return countStoreSend(deps.counters, deps.random, store.id, phoneKey, store.sendLimits, now);
}
