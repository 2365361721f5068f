import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { LambdaNotifier } from '../../shared/adapters/lambda-notifier.ts';

describe('LambdaNotifier', () => {
  it('invokes the notifier function asynchronously with the store and the replaced number', async () => {
    const lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await new LambdaNotifier(new LambdaClient({}), 'sms-mfa-dev-replaced-number-notifier').notify(
      'ids_1',
      '+447400123456',
    );
    const calls = lambda.commandCalls(InvokeCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.FunctionName).toBe('sms-mfa-dev-replaced-number-notifier');
    expect(input.InvocationType).toBe('Event');
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString())).toEqual({
      storeId: 'ids_1',
      phone: '+447400123456',
    });
    lambda.restore();
  });
});
