import { logger } from '../observability/powertools.ts';
import { Deadline } from '../domain/sending/deadline.ts';
import { GatewayError } from '../domain/errors.ts';
import { errorResponse } from './middlewares.ts';
import type { HttpResult } from './responses.ts';

/** What a send answers when its deadline comes first: no provider attempt starts after it. */
export const deadlinePassed = (): HttpResult =>
  errorResponse(new GatewayError('No gateway accepted the message before the send deadline passed.'));

/** Lets the work set an earlier answer time once it knows it (a hook learns its provider's). */
export interface AnswerBy {
  shorten(answerAtMs: number, late: LateAnswer): void;
}

/** The answer given when the deadline comes first; async when it passes through response middlewares. */
export type LateAnswer = () => HttpResult | Promise<HttpResult>;

/**
 * Answers by `answerAtMs` after the request's arrival whatever the work still waits for (a slow table as
 * much as a hanging provider). Provider budgets end before it, so nothing is sent after a late answer,
 * and the work's remaining writes (a refund, a withdrawn code) finish on their own.
 */
export async function answerBy(
  answerAtMs: number,
  work: (answer: AnswerBy) => Promise<HttpResult>,
  late: LateAnswer = deadlinePassed,
): Promise<HttpResult> {
  let expire: (() => void) | undefined;
  const expired = new Promise<'late'>((resolve) => (expire = () => resolve('late')));
  let current = { deadline: new Deadline(answerAtMs), late };
  const watch = () => {
    if (current.deadline.signal.aborted) expire!();
    else current.deadline.signal.addEventListener('abort', expire!, { once: true });
  };
  watch();
  const stop = () => {
    current.deadline.signal.removeEventListener('abort', expire!);
    current.deadline.end();
  };
  const running = work({
    shorten: (at, shorterLate) => {
      if (at >= answerAtMs) return;
      stop();
      current = { deadline: new Deadline(at), late: shorterLate };
      watch();
    },
  });
  try {
    const first = await Promise.race([running, expired]);
    if (first !== 'late') return first;
    running.catch((error: unknown) => logger.warn('A send failed after its late answer', { error }));
    return await current.late();
  } finally {
    stop();
  }
}
