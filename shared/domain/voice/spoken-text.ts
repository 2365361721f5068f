import { renderTemplate } from '../sms-encoding.ts';

/** api.md "Voice calls": each call is limited to 60 seconds where the provider takes a limit. */
export const CALL_TIME_LIMIT_SECONDS = 60;

/** The default call text: the code said twice, so a user who missed it once hears it again. */
export const DEFAULT_VOICE_TEMPLATE = 'Your verification code is [Code]. I repeat: [Code].';

/**
 * The digits separated by `, `: text-to-speech engines then read them one by one ("four, two, ...")
 * instead of as a number ("four hundred twenty ...").
 */
export function spokenCode(code: string): string {
  return [...code].join(', ');
}

/** The text handed to the provider for a call: every `[Code]` spoken digit by digit. */
export function renderSpoken(template: string, code: string): string {
  return renderTemplate(template, spokenCode(code));
}
