import { Forbidden, NotFound } from '../errors.ts';
import type { Integration } from '../integrations/integration.ts';
import type { CodeDecryptor } from '../../ports/code-decryptor.ts';
import type { RelayCode, RelayResult } from './relay-code.ts';

/** The CustomSMSSender trigger's event, as Cognito invokes it (the fields this use case reads). */
export interface CognitoSmsEvent {
  triggerSource: string;
  userPoolId: string;
  userName?: string;
  request: { code?: string | null; userAttributes?: Record<string, string | undefined> };
}

/**
 * The text per trigger source; `undefined` means the store's own template with the code. A trigger this
 * list does not know is refused rather than sent with a guessed text.
 */
const MESSAGES: Readonly<Record<string, ((code: string, event: CognitoSmsEvent) => string) | undefined>> = {
  CustomSMSSender_Authentication: undefined,
  CustomSMSSender_SignUp: undefined,
  CustomSMSSender_ResendCode: undefined,
  CustomSMSSender_VerifyUserAttribute: undefined,
  CustomSMSSender_UpdateUserAttribute: undefined,
  CustomSMSSender_ForgotPassword: (code) => `Your password reset code is ${code}`,
  CustomSMSSender_AdminCreateUser: (code, event) =>
    `Your username is ${event.userName ?? ''} and your temporary password is ${code}`,
};

export interface CognitoSmsDeps {
  integrations: { get(id: string): Promise<Integration | undefined> };
  decryptor: CodeDecryptor;
  relay: Pick<RelayCode, 'run'>;
}

/**
 * Cognito's CustomSMSSender: decrypt the code, check that it was encrypted for this pool (the
 * `userpool-id` in the encryption context, the event and the integration must agree), and relay it.
 */
export class CognitoSms {
  constructor(private readonly deps: CognitoSmsDeps) {}

  async run(integrationId: string, event: CognitoSmsEvent): Promise<RelayResult> {
    const integration = await this.deps.integrations.get(integrationId);
    if (!integration || integration.kind !== 'cognito') throw new NotFound('The cognito integration');
    if (integration.settings.userPoolId !== event.userPoolId) {
      throw new Forbidden('The event comes from a user pool this integration does not serve.');
    }
    if (!(event.triggerSource in MESSAGES)) {
      throw new Forbidden(`The trigger source ${event.triggerSource} is not relayed.`);
    }
    const phone = event.request.userAttributes?.phone_number;
    if (!event.request.code || !phone) throw new Forbidden('The event has no code or no phone_number.');
    const { code, encryptionContext } = await this.deps.decryptor.decrypt(event.request.code);
    if (encryptionContext['userpool-id'] !== event.userPoolId) {
      throw new Forbidden('The code was not encrypted for this user pool.');
    }
    const message = MESSAGES[event.triggerSource];
    return this.deps.relay.run({
      storeId: integration.storeId,
      integrationId: integration.id,
      source: 'cognito',
      to: phone,
      channel: 'sms',
      ...(message ? { text: message(code, event) } : { code }),
    });
  }
}
