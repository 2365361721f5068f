/**
 * The catalogue behind `GET /admin/gateway-types`: each provider's send endpoint and what the
 * generic gateway fields mean for it. Validation of gateways and the provider adapters both read it.
 */
export const GATEWAY_TYPES = [
  'aws-sns',
  'twilio',
  'vonage',
  'plivo',
  'sinch',
  'infobip',
  'messagebird',
  'custom-http',
  'console',
] as const;

export type GatewayType = (typeof GATEWAY_TYPES)[number];

export const GATEWAY_FIELDS = ['accountId', 'username', 'password', 'from', 'url'] as const;
export type GatewayField = (typeof GATEWAY_FIELDS)[number];
export type FieldRequirement = 'required' | 'optional' | 'ignored';

export interface GatewayTypeInfo {
  type: GatewayType;
  displayName: string;
  /** The provider's send address; `null` where the user supplies it. `{placeholders}` come from fields. */
  url: string | null;
  fields: Record<GatewayField, FieldRequirement>;
  /** What each used field holds for this provider, in the provider's own words. */
  fieldDescriptions: Partial<Record<GatewayField, string>>;
}

const URL_OVERRIDE = 'Override of the send address (https); leave empty for the default';

/** An account id, a token as the password, a sender, and an optional URL override (Plivo, Sinch). */
const ACCOUNT_AND_TOKEN = {
  accountId: 'required',
  username: 'ignored',
  password: 'required',
  from: 'required',
  url: 'optional',
} as const;

export const GATEWAY_TYPE_INFO: Record<GatewayType, GatewayTypeInfo> = {
  'aws-sns': {
    type: 'aws-sns',
    displayName: 'Amazon SNS',
    url: 'https://sns.{region}.amazonaws.com',
    fields: {
      accountId: 'ignored',
      username: 'ignored',
      password: 'ignored',
      from: 'optional',
      url: 'optional',
    },
    fieldDescriptions: {
      from: 'Sender ID or origination number (E.164)',
      url: 'SNS endpoint override, for example a VPC endpoint',
    },
  },
  twilio: {
    type: 'twilio',
    displayName: 'Twilio',
    url: 'https://api.twilio.com/2010-04-01/Accounts/{accountId}/Messages.json',
    fields: {
      accountId: 'required',
      username: 'optional',
      password: 'required',
      from: 'required',
      url: 'optional',
    },
    fieldDescriptions: {
      accountId: 'Account SID (AC...)',
      username: 'API key SID (SK...); empty to authenticate with the Account SID',
      password: 'Auth token, or the API key secret when an API key SID is given',
      from: 'Sender phone number (E.164), alphanumeric sender ID, or Messaging Service SID (MG...)',
      url: URL_OVERRIDE,
    },
  },
  vonage: {
    type: 'vonage',
    displayName: 'Vonage (Nexmo)',
    url: 'https://rest.nexmo.com/sms/json',
    fields: {
      accountId: 'ignored',
      username: 'required',
      password: 'required',
      from: 'required',
      url: 'optional',
    },
    fieldDescriptions: {
      username: 'API key',
      password: 'API secret',
      from: 'Sender ID or virtual number',
      url: URL_OVERRIDE,
    },
  },
  plivo: {
    type: 'plivo',
    displayName: 'Plivo',
    url: 'https://api.plivo.com/v1/Account/{accountId}/Message/',
    fields: ACCOUNT_AND_TOKEN,
    fieldDescriptions: {
      accountId: 'Auth ID',
      password: 'Auth token',
      from: 'Source number or sender ID (src)',
      url: URL_OVERRIDE,
    },
  },
  sinch: {
    type: 'sinch',
    displayName: 'Sinch',
    url: 'https://sms.api.sinch.com/xms/v1/{accountId}/batches',
    fields: ACCOUNT_AND_TOKEN,
    fieldDescriptions: {
      accountId: 'Service plan ID',
      password: 'API token',
      from: 'Sender number or alphanumeric sender',
      url: 'Regional endpoint override (for example https://eu.sms.api.sinch.com/xms/v1/{accountId}/batches)',
    },
  },
  infobip: {
    type: 'infobip',
    displayName: 'Infobip',
    url: 'https://api.infobip.com/sms/2/text/advanced',
    fields: {
      accountId: 'ignored',
      username: 'ignored',
      password: 'required',
      from: 'optional',
      url: 'optional',
    },
    fieldDescriptions: {
      password: 'API key',
      from: 'Sender ID',
      url: 'Your account base URL, for example https://xxxxx.api.infobip.com/sms/2/text/advanced',
    },
  },
  messagebird: {
    type: 'messagebird',
    displayName: 'MessageBird (Bird)',
    url: 'https://rest.messagebird.com/messages',
    fields: {
      accountId: 'ignored',
      username: 'ignored',
      password: 'required',
      from: 'required',
      url: 'optional',
    },
    fieldDescriptions: {
      password: 'Access key',
      from: 'Originator: phone number or alphanumeric sender',
      url: URL_OVERRIDE,
    },
  },
  'custom-http': {
    type: 'custom-http',
    displayName: 'Custom HTTP gateway',
    url: null,
    fields: {
      accountId: 'optional',
      username: 'optional',
      password: 'optional',
      from: 'optional',
      url: 'required',
    },
    fieldDescriptions: {
      accountId: 'Passed to the body template as {accountId}',
      username: 'User name for basic authentication; empty for bearer or signature authentication',
      password: 'Basic password, bearer token or signing secret',
      from: 'Passed to the body template as {from}',
      url: 'Your gateway endpoint (https)',
    },
  },
  console: {
    type: 'console',
    displayName: 'Console (local development)',
    url: null,
    fields: {
      accountId: 'ignored',
      username: 'ignored',
      password: 'ignored',
      from: 'optional',
      url: 'ignored',
    },
    fieldDescriptions: { from: 'Shown as the sender in the outbox' },
  },
};

export function isGatewayType(value: string): value is GatewayType {
  return (GATEWAY_TYPES as readonly string[]).includes(value);
}
