import { voiceUrl } from '../../../domain/gateways/gateway.ts';
import { SendFailure } from '../../../ports/sms-sender.ts';
import { jsonPost, withoutPlus, type ProviderApi } from '../provider-api.ts';
import { messageBirdApi } from './messagebird.ts';

/**
 * MessageBird Voice Messaging, "Send a voice message" (developers.messagebird.com/api/voice-messaging):
 * POST https://rest.messagebird.com/voicemessages with `Authorization: AccessKey <key>` and `{ recipients:
 * [msisdn], body, language, voice, originator }`; 201 with the voice message `id`, errors as for SMS.
 */
export const messageBirdVoice = (): ProviderApi => ({
  request({ gateway, credentials, sms }) {
    const url = voiceUrl(gateway);
    if (!url) throw new SendFailure('rejected', 'the gateway has no call address');
    return jsonPost(
      url,
      { authorization: `AccessKey ${credentials.password ?? ''}` },
      {
        recipients: [withoutPlus(sms.to)],
        body: sms.body,
        language: 'en-gb',
        voice: 'female',
        ...(gateway.from ? { originator: gateway.from } : {}),
      },
    );
  },
  answer: (response, call) => messageBirdApi.answer(response, call),
});
