import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One line of the local server's `$DATA_DIR/events.jsonl`, as api.md's local mode writes it. */
export interface EventLine {
  id: string;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** Every event the local server has written so far (none before its first). */
export async function eventLines(dataDir: string): Promise<EventLine[]> {
  const text = await readFile(join(dataDir, 'events.jsonl'), 'utf8').catch(() => '');
  // The server appends while tests read: a last line without its newline is still being written.
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  return complete
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EventLine);
}
