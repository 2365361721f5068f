import { once } from '../once.ts';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventLine, type DomainEvent } from '../../domain/events/event.ts';
import { eventBridgeSdk } from './eventbridge-loader.ts';
import type { EventPublisher } from '../../ports/events.ts';

/** The bus source; customers' rules match on it (README "Subscribing to the bus"). */
export const EVENT_SOURCE = 'sms-mfa';

/** Deployed: each event onto the stack's bus, `detail-type` the event type, `detail` the event line. */
export class EventBridgePublisher implements EventPublisher {
  private readonly client: () => Promise<EventBridgeClient>;

  constructor(
    createClient: () => Promise<EventBridgeClient>,
    private readonly busName: string,
  ) {
    this.client = once(createClient);
  }

  async publish(event: DomainEvent): Promise<void> {
    const client = await this.client();
    const { PutEventsCommand } = await eventBridgeSdk();
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: event.type,
            Detail: JSON.stringify(eventLine(event)),
            Time: new Date(event.timestamp),
          },
        ],
      }),
    );
    if (result.FailedEntryCount)
      throw new Error(`PutEvents refused the event: ${result.Entries?.[0]?.ErrorCode}`);
  }
}
