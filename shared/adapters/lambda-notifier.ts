import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ReplacementNotifier } from '../ports/replacement-notifier.ts';

/**
 * Deployed: an asynchronous invoke of the notifier function (Lambda retries it on failure). The SDK is
 * loaded on the first notice, not at cold start: most verifications never replace a number.
 */
export class LambdaNotifier implements ReplacementNotifier {
  private clientPromise: Promise<LambdaClient> | undefined;

  constructor(
    private readonly clientOrFactory: LambdaClient | (() => Promise<LambdaClient>),
    private readonly functionName: string,
  ) {}

  async notify(storeId: string, replacedPhone: string): Promise<void> {
    const { InvokeCommand } = await import('@aws-sdk/client-lambda');
    const source = this.clientOrFactory;
    this.clientPromise ??= typeof source === 'function' ? source() : Promise.resolve(source);
    await (
      await this.clientPromise
    ).send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify({ storeId, phone: replacedPhone })),
      }),
    );
  }
}
