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
  /** `voice`: the type can call with the text in the request itself (api.md "Voice calls"). */
  channels: readonly Channel[];
  /**
   * The provider's call address, where it differs from the send address; with a URL override a call goes
   * to the override's scheme, host and port plus this path. `null`: the type calls at its send address.
   */
  voiceUrl?: string;
}

/** How a code reaches the user: a text message, or a call that speaks it. */
export const CHANNELS = ['sms', 'voice'] as const;
export type Channel = (typeof CHANNELS)[number];

const SMS_ONLY: readonly Channel[] = ['sms'];
const SMS_AND_VOICE: readonly Channel[] = ['sms', 'voice'];

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
    channels: SMS_ONLY,
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
    channels: SMS_AND_VOICE,
    voiceUrl: 'https://api.twilio.com/2010-04-01/Accounts/{accountId}/Calls.json',
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
    channels: SMS_ONLY,
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
    channels: SMS_ONLY,
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
    channels: SMS_AND_VOICE,
    voiceUrl: 'https://calling.api.sinch.com/calling/v1/callouts',
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
    channels: SMS_AND_VOICE,
    voiceUrl: 'https://api.infobip.com/tts/3/advanced',
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
    channels: SMS_AND_VOICE,
    voiceUrl: 'https://rest.messagebird.com/voicemessages',
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
    channels: SMS_AND_VOICE,
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
    channels: SMS_AND_VOICE,
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
