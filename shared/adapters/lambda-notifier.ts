import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ReplacementNotifier } from '../ports/replacement-notifier.ts';

/** Deployed: an asynchronous invoke of the notifier function (Lambda retries it on failure). */
export class LambdaNotifier implements ReplacementNotifier {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async notify(storeId: string, replacedPhone: string): Promise<void> {
    await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify({ storeId, phone: replacedPhone })),
      }),
    );
  }
}
