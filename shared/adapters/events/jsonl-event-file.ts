import { appendFile } from 'node:fs/promises';
import { eventLine, type DomainEvent } from '../../domain/events/event.ts';
import type { EventPublisher } from '../../ports/events.ts';

/** Local mode: one JSON line `{ id, type, timestamp, data }` per event, the file owner-only (0600). */
export class JsonlEventFile implements EventPublisher {
  constructor(
    private readonly file: string,
    private readonly after?: (event: DomainEvent) => void,
  ) {}

  async publish(event: DomainEvent): Promise<void> {
    await appendFile(this.file, `${JSON.stringify(eventLine(event))}\n`, { mode: 0o600 });
    this.after?.(event);
  }
}
