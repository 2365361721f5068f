import type { FieldError } from '../errors.ts';
import { templateProblems } from '../sms-encoding.ts';
import { isLanguageTag, MAX_MESSAGE_TEMPLATES } from './locale.ts';

/** `smsAuth.messageTemplates`: at most 50, keyed by distinct well-formed language tags, each a valid template. */
export function messageTemplateProblems(templates: Readonly<Record<string, string>>): FieldError[] {
  const problems: FieldError[] = [];
  const tags = Object.keys(templates);
  if (tags.length > MAX_MESSAGE_TEMPLATES) {
    problems.push({
      path: 'smsAuth.messageTemplates',
      message: `must have at most ${MAX_MESSAGE_TEMPLATES} languages, got ${tags.length}`,
    });
  }
  const seen = new Set<string>();
  for (const tag of tags) {
    const path = `smsAuth.messageTemplates.${tag}`;
    if (!isLanguageTag(tag)) {
      problems.push({
        path,
        message: 'the key must be a well-formed language tag such as de, pt-BR or zh-Hant',
      });
    } else if (seen.has(tag.toLowerCase())) {
      // Lookup ignores case, so two spellings of one tag would leave the choice to chance.
      problems.push({ path, message: 'names a language that another key names (tags ignore case)' });
    }
    seen.add(tag.toLowerCase());
    for (const message of templateProblems(templates[tag]!)) problems.push({ path, message });
  }
  return problems;
}
