/**
 * Language tags (BCP 47) and the template lookup of RFC 4647 §3.4: `zh-Hant-TW` tries `zh-Hant-TW`, then
 * `zh-Hant`, then `zh`, comparing case-insensitively; no match falls back to the store's default template.
 */

/** At most this many characters in a send's `locale` (RFC 5646 §4.4.1 recommends buffers of 35). */
export const LOCALE_MAX_LENGTH = 35;

/** At most this many language-specific templates per store. */
export const MAX_MESSAGE_TEMPLATES = 50;

/**
 * Well-formed as a BCP 47 language tag. `Intl.getCanonicalLocales` implements the Unicode BCP 47 locale
 * identifier grammar, which accepts every tag a phone or an identity provider sends (`de`, `pt-BR`,
 * `zh-Hant-TW`, `sr-Latn`, `es-419`) and refuses malformed ones (`de_DE`, `-`, `english`).
 */
export function isLanguageTag(tag: string): boolean {
  if (tag.length === 0 || tag.length > LOCALE_MAX_LENGTH) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** The tags RFC 4647 lookup tries for `locale`, most specific first (a lone singleton goes with its subtag). */
export function lookupChain(locale: string): string[] {
  const chain: string[] = [];
  // Identity providers may send POSIX spellings (`pt_BR`): the same tag to a lookup.
  const subtags = locale.toLowerCase().replaceAll('_', '-').split('-');
  while (subtags.length > 0) {
    chain.push(subtags.join('-'));
    subtags.pop();
    // "If the tag ends with a single character subtag, that subtag is removed too" (RFC 4647 §3.4).
    if (subtags.length > 0 && subtags[subtags.length - 1]!.length === 1) subtags.pop();
  }
  return chain;
}

/** The key of `templates` that `locale` looks up, or undefined (then the default template applies). */
export function lookupTag(templates: Readonly<Record<string, string>>, locale: string | undefined) {
  if (!locale) return undefined;
  const byLowerCase = new Map(Object.keys(templates).map((tag) => [tag.toLowerCase(), tag]));
  for (const candidate of lookupChain(locale)) {
    const tag = byLowerCase.get(candidate);
    if (tag !== undefined) return tag;
  }
  return undefined;
}

/** The template a send in `locale` uses: the looked-up language's, else the store's default. */
export function templateFor(
  smsAuth: { messageTemplate: string; messageTemplates?: Readonly<Record<string, string>> },
  locale: string | undefined,
): string {
  const templates = smsAuth.messageTemplates ?? {};
  const tag = lookupTag(templates, locale);
  return tag === undefined ? smsAuth.messageTemplate : templates[tag]!;
}
