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
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EventLine);
}
