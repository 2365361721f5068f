import type { FieldError } from '../errors.ts';
import { CODE_PLACEHOLDER } from '../sms-encoding.ts';
import { isLanguageTag, MAX_MESSAGE_TEMPLATES } from '../messages/locale.ts';
import { DEFAULT_VOICE_TEMPLATE } from './spoken-text.ts';

/**
 * A store's voice channel (api.md "Voice calls"). Calls are where international revenue-share fraud
 * pays, so a store that calls names the countries it calls and has its own daily caps beside the SMS
 * limits; `verify-phone` (sign-up) calls need their own opt-in.
 */
export interface VoiceSettings {
  enabled: boolean;
  /** ISO 3166-1 alpha-2; must not be empty while enabled. */
  allowedCountries: string[];
  perPhonePerDay: number;
  perStorePerDay: number;
  allowVerifyPhone: boolean;
  messageTemplate: string;
  /** Keyed by language tag; looked up like the SMS templates (messages/locale.ts, RFC 4647). */
  messageTemplates: Record<string, string>;
}

export const DEFAULT_VOICE: VoiceSettings = {
  enabled: false,
  allowedCountries: [],
  perPhonePerDay: 3,
  perStorePerDay: 500,
  allowVerifyPhone: false,
  messageTemplate: DEFAULT_VOICE_TEMPLATE,
  messageTemplates: {},
};

export const VOICE_TEMPLATE_MAX_LENGTH = 500;
export const VOICE_CAP_MAX = 100_000;
/** As many spoken templates as SMS ones. */
export const MAX_VOICE_TEMPLATES = MAX_MESSAGE_TEMPLATES;

export type VoiceInput = {
  [K in Exclude<keyof VoiceSettings, 'messageTemplates'>]?: VoiceSettings[K] | null;
} & { messageTemplates?: Record<string, string | null> | null };

/** Stores written before voice existed read as voice off (no migration). */
export function voiceOf(store: { voice?: VoiceSettings }): VoiceSettings {
  return store.voice ?? DEFAULT_VOICE;
}

/** Every member left out (or removed with null) gets its default; a template map's null entries are gone. */
export function voiceWithDefaults(input: VoiceInput | null | undefined): VoiceSettings {
  const templates: Record<string, string> = {};
  for (const [tag, text] of Object.entries(input?.messageTemplates ?? {}))
    if (text !== null) templates[tag] = text;
  return {
    enabled: input?.enabled ?? DEFAULT_VOICE.enabled,
    allowedCountries: input?.allowedCountries ?? DEFAULT_VOICE.allowedCountries,
    perPhonePerDay: input?.perPhonePerDay ?? DEFAULT_VOICE.perPhonePerDay,
    perStorePerDay: input?.perStorePerDay ?? DEFAULT_VOICE.perStorePerDay,
    allowVerifyPhone: input?.allowVerifyPhone ?? DEFAULT_VOICE.allowVerifyPhone,
    messageTemplate: input?.messageTemplate ?? DEFAULT_VOICE.messageTemplate,
    messageTemplates: templates,
  };
}

/** A spoken template: 1..500 characters with `[Code]`. */
export function voiceTemplateProblems(template: string): string[] {
  const length = [...template].length;
  const problems: string[] = [];
  if (length < 1 || length > VOICE_TEMPLATE_MAX_LENGTH)
    problems.push(`must be 1 to ${VOICE_TEMPLATE_MAX_LENGTH} characters`);
  if (length > 0 && !template.includes(CODE_PLACEHOLDER))
    problems.push(`must contain the ${CODE_PLACEHOLDER} placeholder (case-sensitive)`);
  return problems;
}

/**
 * The voice settings' problems, each at its path. `voiceAllowed` is the deployment's switch (CDK context
 * `voiceAllowed`; always true locally): without it no store may turn calls on.
 */
export function voiceProblems(voice: VoiceSettings, options: { voiceAllowed: boolean }): FieldError[] {
  const problems: FieldError[] = [];
  if (voice.enabled && !options.voiceAllowed) {
    problems.push({
      path: 'voice.enabled',
      message: 'voice calls are not allowed in this deployment (CDK context voiceAllowed)',
    });
  }
  if (voice.enabled && voice.allowedCountries.length === 0) {
    problems.push({
      path: 'voice.allowedCountries',
      message: 'must name at least one country while voice calls are enabled',
    });
  }
  for (const message of voiceTemplateProblems(voice.messageTemplate))
    problems.push({ path: 'voice.messageTemplate', message });
  const tags = Object.keys(voice.messageTemplates);
  if (tags.length > MAX_VOICE_TEMPLATES)
    problems.push({
      path: 'voice.messageTemplates',
      message: `must have at most ${MAX_VOICE_TEMPLATES} entries`,
    });
  for (const tag of tags) {
    if (!isLanguageTag(tag))
      problems.push({
        path: `voice.messageTemplates.${tag}`,
        message: 'the key must be a well-formed language tag',
      });
    for (const message of voiceTemplateProblems(voice.messageTemplates[tag]!))
      problems.push({ path: `voice.messageTemplates.${tag}`, message });
  }
  return problems;
}
