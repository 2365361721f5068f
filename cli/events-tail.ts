import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TailOptions {
  /** `$DATA_DIR/events.jsonl` of a local server. */
  file: string;
  /** Only these event types (none: every type). */
  types: ReadonlySet<string> | undefined;
  /** Print the lines already in the file first (else only those appended from now on). */
  fromStart: boolean;
  print(line: string): void;
  signal: AbortSignal;
  pollMs?: number;
}

export const eventsFileOf = (dataDir: string | undefined) => join(dataDir || '.local', 'events.jsonl');

/**
 * `events tail`: follows a local server's `events.jsonl`, printing each complete line as it is
 * appended (the file may not exist yet; a shorter file means it was replaced: start again from its top).
 * Ends when `signal` aborts (Ctrl-C).
 */
export async function tailEvents(options: TailOptions): Promise<void> {
  const { file, signal, pollMs = 200 } = options;
  let offset = options.fromStart ? 0 : await sizeOf(file);
  while (!signal.aborted) {
    const size = await sizeOf(file);
    if (size < offset) offset = 0;
    if (size > offset) {
      const chunk = await readRange(file, offset, size);
      // Only complete lines: a line being written is read whole on a later pass.
      const end = chunk.lastIndexOf(0x0a) + 1;
      offset += end;
      const lines = chunk.subarray(0, end).toString('utf8').split('\n');
      for (const line of lines) if (wanted(line, options.types)) options.print(line);
    }
    await sleep(pollMs, undefined, { signal }).catch(() => undefined);
  }
}

function wanted(line: string, types: ReadonlySet<string> | undefined): boolean {
  if (!line.trim()) return false;
  if (!types) return true;
  try {
    return types.has((JSON.parse(line) as { type?: string }).type ?? '');
  } catch {
    return false;
  }
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

async function readRange(file: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    await handle.read(buffer, 0, buffer.length, from);
    return buffer;
  } finally {
    await handle.close();
  }
}
