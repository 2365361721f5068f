/* global exports, fetch, AbortSignal */
/**
 * Auth0 custom-phone-provider Action: hands Auth0's phone message to sms-mfa, which delivers it through
 * the identity store's gateways (failover, limits, allowed countries).
 *
 * Secrets (Action settings): SMS_MFA_HOOK_URL (the integration's hookUrl) and SMS_MFA_HOOK_SECRET (its
 * secret). A refusal throws, so Auth0 reports the message as not delivered.
 *
 * @param {Event} event - https://auth0.com/docs/customize/phone-messages/configure-phone-messaging-providers/configure-a-custom-phone-provider
 * @param {CustomPhoneProviderAPI} _api
 */
exports.onExecuteCustomPhoneProvider = async (event, _api) => {
  const { recipient, code, as_text, message_type, delivery_method, locale } = event.notification;
  const response = await fetch(event.secrets.SMS_MFA_HOOK_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${event.secrets.SMS_MFA_HOOK_SECRET}`,
    },
    body: JSON.stringify({ recipient, code, as_text, message_type, delivery_method, locale }),
    // Auth0 gives an Action 20 seconds; sms-mfa answers within 12.
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) {
    // The problem's title and slug only: never the message, which holds the code.
    const problem = await response.json().catch(() => ({}));
    throw new Error(`sms-mfa refused the message: ${response.status} ${problem.type ?? ''}`.trim());
  }
};
