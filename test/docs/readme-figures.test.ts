import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Issue 24: "the README's numbers are the bench's". The README states the round trips and the first
 * requests; the committed bench run (bench/results/latest.json, written by `npm run bench`) is their
 * source, so a run that changes them fails here until the README says what it measured.
 */
const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8').replace(/\s+/g, ' ');

interface Accounting {
  name: string;
  beforeAnswer: string[][];
  beforeProvider: string[][];
  afterAnswerPerRequest: number;
  totalPerRequest: number;
}
interface FirstRequest {
  route: string;
  medianTotalMs: number;
}
const bench = JSON.parse(readFileSync(new URL('bench/results/latest.json', root), 'utf8')) as {
  accounting: Accounting[];
  firstRequests: { functions: FirstRequest[] };
};
const accounting = (name: string) => bench.accounting.find((a) => a.name === name)!;
const firstRequest = (route: string) =>
  Math.round(bench.firstRequests.functions.find((f) => f.route === route)!.medianTotalMs);

describe("the README's figures are the committed bench run's", () => {
  it('round trips and requests of issuing and verifying', () => {
    const issue = accounting('issue');
    const verify = accounting('verify');
    expect(readme).toContain(
      `issuing a code is ${issue.beforeProvider.length} sequential round trips before the provider call, ` +
        `${issue.beforeAnswer.length} before its answer, ${issue.afterAnswerPerRequest} requests after it, ` +
        `${issue.totalPerRequest} in all`,
    );
    expect(readme).toContain(
      `a successful verify is ${verify.beforeAnswer.length} round trip before its answer, ` +
        `${verify.afterAnswerPerRequest} requests after it`,
    );
    expect(readme).toContain(`${verify.totalPerRequest} in all`);
  });

  it('the first request after a cold start', () => {
    const verify = firstRequest('POST /v1/challenges/{id}/verify');
    const send = firstRequest('POST /v1/verifications');
    expect(readme).toContain(`takes ${verify} ms for a verify and ${send} ms for a send`);
  });
});
