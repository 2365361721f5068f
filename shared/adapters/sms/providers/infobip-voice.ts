import { voiceUrl } from '../../../domain/gateways/gateway.ts';
import { SendFailure } from '../../../ports/sms-sender.ts';
import { jsonPost, withoutPlus, type ProviderApi } from '../provider-api.ts';
import { infobipApi } from './infobip.ts';

/**
 * Infobip Voice, "Send advanced voice message" (www.infobip.com/docs/api/channels/voice/voice-message/
 * send-advanced-voice-tts): POST {baseUrl}/tts/3/advanced with `Authorization: App <API key>` and
 * `{ messages: [{ destinations: [{ to }], from, text, language }] }` (`to` without the plus); the answer
 * has the same `{ bulkId, messages: [{ messageId, status, to }] }` shape as an SMS send.
 */
export const infobipVoice = (): ProviderApi => ({
  request({ gateway, credentials, sms }) {
    const url = voiceUrl(gateway);
    if (!url) throw new SendFailure('rejected', 'the gateway has no call address');
    const message = {
      destinations: [{ to: withoutPlus(sms.to) }],
      ...(gateway.from ? { from: gateway.from } : {}),
      text: sms.body,
      language: 'en',
    };
    return jsonPost(url, { authorization: `App ${credentials.password ?? ''}` }, { messages: [message] });
  },
  answer: (response, call) => infobipApi.answer(response, call),
});
