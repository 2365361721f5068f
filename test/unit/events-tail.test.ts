import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tailEvents } from '../../cli/events-tail.ts';

const line = (type: string, n: number) => JSON.stringify({ id: `evt_${n}`, type, timestamp: '', data: {} });

describe('events tail', () => {
  it('prints only lines appended after it started, whole lines only, and starts over on a replaced file', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'sms-mfa-tail-')), 'events.jsonl');
    await writeFile(file, `${line('challenge.created', 0)}\n`);
    const printed: string[] = [];
    const stop = new AbortController();
    const tail = tailEvents({
      file,
      types: new Set(['challenge.created', 'challenge.failed']),
      fromStart: false,
      print: (text) => printed.push(text),
      signal: stop.signal,
      pollMs: 10,
    });
    // Let the tail measure the file first (what is there already is not printed).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const half = line('challenge.failed', 2);
    await appendFile(file, `${line('challenge.created', 1)}\n${line('code.sent', 9)}\n${half.slice(0, 10)}`);
    await expect.poll(() => printed).toEqual([line('challenge.created', 1)]);
    await appendFile(file, `${half.slice(10)}\nnot json\n`);
    await expect.poll(() => printed).toHaveLength(2);
    expect(printed[1]).toBe(half);
    await writeFile(file, `${line('challenge.failed', 3)}\n`);
    await expect.poll(() => printed).toHaveLength(3);
    expect(printed[2]).toBe(line('challenge.failed', 3));
    stop.abort();
    await tail;
  });
});
