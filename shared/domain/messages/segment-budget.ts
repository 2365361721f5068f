import type { FieldError } from '../errors.ts';
import { templateInfo } from '../sms-encoding.ts';
import { withAutofillLines, type MessageOptions } from './message-options.ts';

/** A store's `maxSegments`: 1..10 segments per message, or null for no limit. */
export const MAX_SEGMENTS_LIMIT = 10;

/** One template of a store, with the path a write names it by. */
export interface NamedTemplate {
  path: string;
  text: string;
}

/** The store's templates (the default and one per language), each with its path. */
export function namedTemplates(smsAuth: {
  messageTemplate: string;
  messageTemplates?: Readonly<Record<string, string>>;
}): NamedTemplate[] {
  return [
    { path: 'smsAuth.messageTemplate', text: smsAuth.messageTemplate },
    ...Object.entries(smsAuth.messageTemplates ?? {}).map(([tag, text]) => ({
      path: `smsAuth.messageTemplates.${tag}`,
      text,
    })),
  ];
}

/** A combination that does not fit: the template, the application lines it was rendered with, its segments. */
export interface SegmentOverrun {
  template: NamedTemplate;
  /** The application whose lines were added; undefined: the template alone. */
  application?: { id: string; name: string };
  segments: number;
}

export interface BudgetFacts {
  templates: readonly NamedTemplate[];
  /** Every application's autofill lines (applications without lines may be left out). */
  applications: readonly { id: string; name: string; messageOptions: MessageOptions }[];
  codeLength: number;
  maxSegments: number | null;
}

/**
 * Every combination that breaks `maxSegments`: each template alone and with each application's lines,
 * rendered with a code of the policy's length. Empty when the limit is off or everything fits.
 */
export function segmentOverruns(facts: BudgetFacts): SegmentOverrun[] {
  const { maxSegments } = facts;
  if (maxSegments === null) return [];
  const overruns: SegmentOverrun[] = [];
  for (const template of facts.templates) {
    const variants = [
      { application: undefined, text: template.text },
      ...facts.applications.map((application) => ({
        application: { id: application.id, name: application.name },
        text: withAutofillLines(template.text, application.messageOptions),
      })),
    ];
    for (const variant of variants) {
      const { segments } = templateInfo(variant.text, facts.codeLength);
      if (segments > maxSegments) {
        overruns.push({
          template,
          segments,
          ...(variant.application ? { application: variant.application } : {}),
        });
      }
    }
  }
  return overruns;
}

/** The worst overrun's explanation: "<n> segments" with what was rendered, and the limit. */
export function overrunMessage(overrun: SegmentOverrun, codeLength: number, maxSegments: number): string {
  const lines = overrun.application ? ` with the lines of application ${overrun.application.name}` : '';
  const which = overrun.template.path.replace(/^smsAuth\./, '');
  return (
    `${which}${lines} renders to ${overrun.segments} segments with a ${codeLength}-digit code; ` +
    `maxSegments is ${maxSegments}`
  );
}

/**
 * The 400 of a write that breaks the budget, at the path of the field that was written: a template the
 * write set (itself), else the code length, else `maxSegments`, else (an application's write) `fallback`.
 */
export function budgetErrors(
  facts: BudgetFacts,
  written: { templatePaths: ReadonlySet<string>; codeLength: boolean; maxSegments: boolean },
  fallback?: string,
): FieldError[] {
  const overruns = segmentOverruns(facts);
  if (overruns.length === 0 || facts.maxSegments === null) return [];
  const byPath = new Map<string, SegmentOverrun>();
  for (const overrun of overruns) {
    const path = written.templatePaths.has(overrun.template.path)
      ? overrun.template.path
      : written.codeLength
        ? 'codePolicy.length'
        : written.maxSegments
          ? 'smsAuth.maxSegments'
          : (fallback ?? overrun.template.path);
    const worst = byPath.get(path);
    if (!worst || overrun.segments > worst.segments) byPath.set(path, overrun);
  }
  return [...byPath].map(([path, overrun]) => ({
    path,
    message: overrunMessage(overrun, facts.codeLength, facts.maxSegments!),
  }));
}
