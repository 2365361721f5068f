import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the matchers with vitest's expect and augments its types.
import 'aws-sdk-client-mock-vitest/extend';
import {
  AuthorizationErrorException,
  InternalErrorException,
  InvalidParameterException,
  InvalidParameterValueException,
  OptedOutException,
  PublishCommand,
  SNSClient,
  SNSServiceException,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { SnsSender } from '../../shared/adapters/sms/sns-sender.ts';
import type { SendFailureKind } from '../../shared/ports/sms-sender.ts';
import { gatewayRecord } from '../support/gateway-record.ts';
import { sendFailure } from '../support/provider-adapter.ts';

// Follows "Publishing to a mobile phone" in the Amazon SNS Developer Guide (Publish with PhoneNumber and
// the AWS.SNS.SMS.SMSType / AWS.MM.SMS.OriginationNumber / AWS.SNS.SMS.SenderID message attributes).
const TO = '+447400123456';
const BODY = 'Your code is 123456';
const sms = { to: TO, body: BODY };
const TRANSACTIONAL = { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } };

const sns = mockClient(SNSClient);
const client = new SNSClient({ region: 'eu-west-1' });
const gateway = (from: string | null, url: string | null = null) =>
  gatewayRecord({ type: 'aws-sns', from, url, hasPassword: false });

/** The matchers compare with objectContaining; this asserts there is nothing extra in the request. */
const inputs = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

const serviceError = (name: string, message: string, httpStatusCode = 400) =>
  new SNSServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode } });

beforeEach(() => {
  sns.reset();
});

describe('SnsSender', () => {
  describe('publish', () => {
    it('publishes a transactional SMS without a sender when the gateway has no from', async () => {
      sns.on(PublishCommand).resolves({ MessageId: 'b2a3c4d5-0000-4000-8000-000000000001' });

      const result = await new SnsSender(client).send(gateway(null), {}, sms);

      expect(result).toStrictEqual({ providerMessageId: 'b2a3c4d5-0000-4000-8000-000000000001' });
      expect(sns).toHaveReceivedCommandExactlyOnceWith(PublishCommand, { PhoneNumber: TO, Message: BODY });
      expect(inputs()).toStrictEqual([{ PhoneNumber: TO, Message: BODY, MessageAttributes: TRANSACTIONAL }]);
    });

    it('sends an E.164 from as AWS.MM.SMS.OriginationNumber', async () => {
      sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

      await new SnsSender(client).send(gateway('+18005550100'), {}, sms);

      expect(inputs()).toStrictEqual([
        {
          PhoneNumber: TO,
          Message: BODY,
          MessageAttributes: {
            ...TRANSACTIONAL,
            'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+18005550100' },
          },
        },
      ]);
    });

    it('sends a short code as AWS.MM.SMS.OriginationNumber', async () => {
      sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

      await new SnsSender(client).send(gateway('12345'), {}, sms);

      expect(inputs()[0]?.MessageAttributes).toStrictEqual({
        ...TRANSACTIONAL,
        'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '12345' },
      });
    });

    it('sends an alphanumeric from as AWS.SNS.SMS.SenderID', async () => {
      sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

      await new SnsSender(client).send(gateway('AcmeBank'), {}, sms);

      expect(inputs()).toStrictEqual([
        {
          PhoneNumber: TO,
          Message: BODY,
          MessageAttributes: {
            ...TRANSACTIONAL,
            'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'AcmeBank' },
          },
        },
      ]);
    });

    it.each(['Acme Bank', 'AcmeBankingGroup', '+44 7400', 'A€me'])(
      'refuses the from %j without calling SNS',
      async (from) => {
        const error = await sendFailure(new SnsSender(client).send(gateway(from), {}, sms));

        expect(error.kind).toBe('rejected');
        expect(error.reason).toMatch(/sender ID/);
        expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
      },
    );

    it('treats a publish without a MessageId as unavailable', async () => {
      sns.on(PublishCommand).resolves({});

      const error = await sendFailure(new SnsSender(client).send(gateway(null), {}, sms));

      expect(error.kind).toBe('unavailable');
    });
  });

  describe('endpoint override', () => {
    it('publishes through one client per gateway url, built by the factory', async () => {
      sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
      const built: { endpoint: string; client: SNSClient }[] = [];
      const sender = new SnsSender(client, {
        clientForEndpoint: (endpoint) => {
          const endpointClient = new SNSClient({ region: 'eu-west-1', endpoint });
          built.push({ endpoint, client: endpointClient });
          return endpointClient;
        },
      });
      const vpc = 'https://vpce-0abc.sns.eu-west-1.vpce.amazonaws.com';

      await sender.send(gateway(null, vpc), {}, sms);
      await sender.send(gateway(null, vpc), {}, sms);
      await sender.send(gateway(null), {}, sms);

      expect(built.map((b) => b.endpoint)).toStrictEqual([vpc]);
      const used = sns.commandCalls(PublishCommand).map((call) => call.thisValue as unknown);
      expect(used).toStrictEqual([built[0]!.client, built[0]!.client, client]);
    });

    it('builds the override client with the endpoint and the main client region by default', async () => {
      sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
      const sender = new SnsSender(client);

      await sender.send(gateway(null, 'https://sns.example.test'), {}, sms);

      const used = sns.commandCalls(PublishCommand)[0]!.thisValue as SNSClient;
      expect(used).not.toBe(client);
      await expect(used.config.region()).resolves.toBe('eu-west-1');
      const endpoint = await used.config.endpoint!();
      expect(endpoint.hostname).toBe('sns.example.test');
      sender.close();
    });
  });

  describe('errors', () => {
    const cases: [string, Error, SendFailureKind][] = [
      [
        'InvalidParameter about the phone number',
        new InvalidParameterException({
          message: `Invalid parameter: PhoneNumber Reason: ${TO} is not valid to publish to`,
          $metadata: { httpStatusCode: 400 },
        }),
        'invalid-number',
      ],
      [
        'InvalidParameter about something else',
        new InvalidParameterException({
          message: 'Invalid parameter: Message too long',
          $metadata: { httpStatusCode: 400 },
        }),
        'rejected',
      ],
      [
        'ParameterValueInvalid about the phone number',
        new InvalidParameterValueException({
          message: 'Invalid phone number 447400123456',
          $metadata: { httpStatusCode: 400 },
        }),
        'invalid-number',
      ],
      [
        'ParameterValueInvalid about the sender',
        new InvalidParameterValueException({
          message: 'Invalid parameter: SenderID',
          $metadata: { httpStatusCode: 400 },
        }),
        'rejected',
      ],
      [
        'AuthorizationError',
        new AuthorizationErrorException({
          message: 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: SNS:Publish',
          $metadata: { httpStatusCode: 403 },
        }),
        'auth',
      ],
      [
        'InvalidClientTokenId',
        serviceError('InvalidClientTokenId', 'The security token is invalid.', 403),
        'auth',
      ],
      ['AccessDenied', serviceError('AccessDenied', 'Access denied', 403), 'auth'],
      [
        'ExpiredToken',
        serviceError('ExpiredToken', 'The security token included in the request is expired'),
        'auth',
      ],
      [
        'Throttled',
        new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }),
        'throttled',
      ],
      ['Throttling', serviceError('Throttling', 'Rate exceeded'), 'throttled'],
      ['ThrottlingException', serviceError('ThrottlingException', 'Rate exceeded'), 'throttled'],
      [
        'OptedOut',
        new OptedOutException({ message: `${TO} is opted out`, $metadata: { httpStatusCode: 400 } }),
        'opted-out',
      ],
      [
        'InternalError',
        new InternalErrorException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } }),
        'unavailable',
      ],
      [
        'an unknown service error',
        serviceError('ServiceUnavailable', 'Service unavailable', 503),
        'unavailable',
      ],
    ];

    it.each(cases)('maps %s', async (_label, thrown, kind) => {
      sns.on(PublishCommand).rejects(thrown);

      const error = await sendFailure(new SnsSender(client).send(gateway(null), {}, sms));

      expect(error.kind).toBe(kind);
      expect(error.reason).toContain(`Amazon SNS ${thrown.name}`);
      expect(error.reason).not.toContain('7400123456');
      expect(error.reason).not.toContain('123456');
      expect(error.reason).not.toContain(BODY);
    });

    it('keeps a useful message in the reason', async () => {
      sns.on(PublishCommand).rejects(
        new InvalidParameterException({
          message: `Invalid parameter: PhoneNumber Reason: ${TO} is not valid to publish to`,
          $metadata: { httpStatusCode: 400 },
        }),
      );

      const error = await sendFailure(new SnsSender(client).send(gateway(null), {}, sms));

      expect(error.reason).toBe(
        'Amazon SNS InvalidParameterException: Invalid parameter: PhoneNumber Reason: … is not valid to publish to',
      );
    });

    it.each([
      [
        'a refused connection',
        Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }),
        'unreachable',
        'refused',
        /^Amazon SNS unreachable \(ECONNREFUSED\)$/,
      ],
      [
        'a timeout',
        Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
        'unavailable',
        'unknown',
        /^Amazon SNS did not answer \(TimeoutError\)$/,
      ],
    ])('maps %s to %s with an outcome of %s', async (_label, thrown, kind, outcome, reason) => {
      sns.on(PublishCommand).rejects(thrown);

      const error = await sendFailure(new SnsSender(client).send(gateway(null), {}, sms));

      expect(error.kind).toBe(kind);
      expect(error.outcome).toBe(outcome);
      expect(error.reason).toMatch(reason);
    });

    it('calls a 5xx an unknown outcome (it may have published) and a 4xx a refusal', async () => {
      sns
        .on(PublishCommand)
        .rejectsOnce(
          new InternalErrorException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } }),
        );
      expect((await sendFailure(new SnsSender(client).send(gateway(null), {}, sms))).outcome).toBe('unknown');
      sns.on(PublishCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded', 400));
      expect((await sendFailure(new SnsSender(client).send(gateway(null), {}, sms))).outcome).toBe('refused');
    });

    it('maps missing credentials to auth', async () => {
      sns.on(PublishCommand).rejects(
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
      );

      const error = await sendFailure(new SnsSender(client).send(gateway(null), {}, sms));

      expect(error.kind).toBe('auth');
      expect(error.reason).toContain('CredentialsProviderError');
    });
  });
});
