import { voiceUrl } from '../../../domain/gateways/gateway.ts';
import { SendFailure } from '../../../ports/sms-sender.ts';
import {
  basicAuth,
  isSuccess,
  jsonPost,
  kindForAnswer,
  providerFailure,
  type ProviderApi,
} from '../provider-api.ts';

/**
 * Sinch Voice API, "Callouts" (developers.sinch.com/docs/voice/api-reference/voice/tag/Callouts): POST
 * https://calling.api.sinch.com/calling/v1/callouts with HTTP Basic auth (the Voice application key as
 * user name, its secret as password) and `{ method: "ttsCallout", ttsCallout: { cli, destination: { type:
 * "number", endpoint: "+E.164" }, locale, text } }`; 200 with the `callId`.
 */
export const sinchVoice = (): ProviderApi => ({
  request({ gateway, credentials, sms }) {
    const url = voiceUrl(gateway);
    if (!url) throw new SendFailure('rejected', 'the gateway has no call address');
    const user = gateway.username ?? gateway.accountId ?? '';
    return jsonPost(
      url,
      { authorization: basicAuth(user, credentials.password ?? '') },
      {
        method: 'ttsCallout',
        ttsCallout: {
          ...(gateway.from ? { cli: gateway.from } : {}),
          destination: { type: 'number', endpoint: sms.to },
          locale: 'en-US',
          text: sms.body,
        },
      },
    );
  },

  answer(response) {
    const body = (response.json ?? {}) as { callId?: unknown; errorCode?: unknown; message?: unknown };
    if (isSuccess(response.status) && typeof body.callId === 'string' && body.callId) {
      return { providerMessageId: body.callId };
    }
    const detail = typeof body.message === 'string' ? body.message : response.text || 'no call id';
    const code = typeof body.errorCode === 'number' ? ` ${body.errorCode}` : '';
    throw providerFailure(kindForAnswer(response.status), `Sinch ${response.status}${code}: ${detail}`);
  },
});
