import { describe, expect, it } from 'vitest';
import { readConfig } from '../../shared/runtime/config.ts';

const deployed = { TABLE_NAME: 'sms-mfa-dev', SECRET_NAME_PREFIX: 'sms-mfa/dev/' };
const local = { TABLE_NAME: 'sms-mfa-local', SECRET_STORE: 'file', LOCAL_MODE: 'true', DATA_DIR: '/data' };

describe('readConfig: the runtime environment through its schema', () => {
  it('fills the defaults of a deployed function and of local mode', () => {
    expect(readConfig(deployed)).toMatchObject({
      secretStore: 'secrets-manager',
      secretNamePrefix: 'sms-mfa/dev/',
      dataDir: '/tmp/sms-mfa',
      outboxFile: '/tmp/sms-mfa/outbox.jsonl',
      providerTimeoutMs: 5000,
      configCacheSeconds: 30,
      clockOffsetSeconds: 0,
      faults: new Set(),
      localMode: false,
      testNumbersAllowed: false,
      adaptiveRoutingAllowed: true,
      routingSeed: undefined,
      voiceAllowed: false,
      consoleGatewayAllowed: false,
      originVerifyRequired: false,
      outboundAllowCidrs: [],
      expirySchedules: undefined,
    });
    expect(readConfig(local)).toMatchObject({
      secretStore: 'file',
      secretNamePrefix: '',
      outboxFile: '/data/outbox.jsonl',
      eventsFile: '/data/events.jsonl',
      configCacheSeconds: 0,
      testNumbersAllowed: true,
      voiceAllowed: true,
      localMode: true,
    });
  });

  it('reads numbers, lists and flags; only `true` turns a flag on; an empty value counts as unset', () => {
    expect(
      readConfig({
        ...deployed,
        PROVIDER_TIMEOUT_MS: '400',
        CONFIG_CACHE_SECONDS: '0',
        OUTBOUND_ALLOW_CIDRS: '10.1.0.0/16, 192.168.0.0/24',
        CONSOLE_GATEWAY_ALLOWED: 'true',
        TEST_NUMBERS_ALLOWED: '1',
        VOICE_ALLOWED: 'TRUE',
        ADAPTIVE_ROUTING_ALLOWED: 'false',
        ROUTING_SEED: '7',
        ORIGIN_VERIFY_REQUIRED: 'yes',
        EXPIRY_SCHEDULE_GROUP: 'group',
        EXPIRY_REPORTER_ARN: 'arn:reporter',
        EXPIRY_SCHEDULER_ROLE_ARN: 'arn:role',
      }),
    ).toMatchObject({
      providerTimeoutMs: 400,
      configCacheSeconds: 0,
      outboundAllowCidrs: ['10.1.0.0/16', '192.168.0.0/24'],
      consoleGatewayAllowed: true,
      testNumbersAllowed: false,
      voiceAllowed: false,
      // Only `false` turns adaptive routing off; ROUTING_SEED is read in local mode only.
      adaptiveRoutingAllowed: false,
      routingSeed: undefined,
      originVerifyRequired: false,
      expirySchedules: { groupName: 'group', functionArn: 'arn:reporter', roleArn: 'arn:role' },
    });
    expect(
      readConfig({ ...deployed, PROVIDER_TIMEOUT_MS: '', SECRET_STORE: '', DATA_DIR: '', FAULTS: '' }),
    ).toMatchObject({ providerTimeoutMs: 5000, secretStore: 'secrets-manager', dataDir: '/tmp/sms-mfa' });
  });

  it.each([
    [{ SECRET_NAME_PREFIX: 'p/' }, /TABLE_NAME is required/],
    [{ TABLE_NAME: 't' }, /SECRET_NAME_PREFIX is required/],
    [{ ...deployed, SECRET_STORE: 'vault' }, /SECRET_STORE must be secrets-manager or file, not vault/],
    [
      { ...deployed, PROVIDER_TIMEOUT_MS: 'soon' },
      /PROVIDER_TIMEOUT_MS must be a whole number of at least 1/,
    ],
    [{ ...deployed, PROVIDER_TIMEOUT_MS: '0' }, /PROVIDER_TIMEOUT_MS/],
    [
      { ...deployed, CONFIG_CACHE_SECONDS: '-1' },
      /CONFIG_CACHE_SECONDS must be a whole number of at least 0/,
    ],
    [{ ...deployed, CONFIG_CACHE_SECONDS: '1e3' }, /CONFIG_CACHE_SECONDS/],
    [
      { ...local, CLOCK_OFFSET_SECONDS: '99999999999999999999' },
      /CLOCK_OFFSET_SECONDS must be a whole number/,
    ],
    [
      { ...local, FAULTS: 'dynamodb,sns' },
      /FAULTS may list dynamodb, secrets, event-guard, .*, receipt-pointer, usage-counter, not dynamodb,sns/,
    ],
    [
      { ...deployed, EXPIRY_SCHEDULE_GROUP: 'g' },
      /EXPIRY_REPORTER_ARN is required.*EXPIRY_SCHEDULER_ROLE_ARN is required/,
    ],
    [{ ...deployed, OUTBOUND_ALLOW_CIDRS: '10.1.0.0' }, /not a CIDR/],
    [
      { ...deployed, FAULTS: 'dynamodb', PUBLIC_URL: 'http://x' },
      /FAULTS, PUBLIC_URL are for local mode only/,
    ],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});
