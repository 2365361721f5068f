import { voiceUrl } from '../../../domain/gateways/gateway.ts';
import { CALL_TIME_LIMIT_SECONDS } from '../../../domain/voice/spoken-text.ts';
import { SendFailure } from '../../../ports/sms-sender.ts';
import { basicAuth, formPost, type ProviderApi } from '../provider-api.ts';
import { twilioApi } from './twilio.ts';

/** The five characters XML gives meaning to; TTS text is plain text inside `<Say>`. */
const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export const xmlEscape = (text: string): string => text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char]!);

/**
 * Twilio Programmable Voice, "Create a Call resource": POST
 * https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Calls.json with HTTP Basic auth, form-encoded
 * `To`, `From` (a Twilio phone number: a Messaging Service cannot call), `Twiml` (the call's
 * instructions inline, so no code is ever kept for Twilio to fetch later) and `TimeLimit` (seconds);
 * 201 with the call `sid`, errors as for messages.
 */
export const twilioVoice = (): ProviderApi => ({
  request({ gateway, credentials, sms }) {
    const url = voiceUrl(gateway);
    if (!url) throw new SendFailure('rejected', 'the gateway has no call address');
    const form = new URLSearchParams({
      To: sms.to,
      From: gateway.from ?? '',
      Twiml: `<Response><Say>${xmlEscape(sms.body)}</Say></Response>`,
      TimeLimit: String(CALL_TIME_LIMIT_SECONDS),
    });
    const user = gateway.username ?? gateway.accountId ?? '';
    return formPost(url, { authorization: basicAuth(user, credentials.password ?? '') }, form);
  },
  answer: (response, call) => twilioApi.answer(response, call),
});
