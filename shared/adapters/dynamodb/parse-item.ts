import * as z from 'zod/mini';

/** An item that is not what its adapter wrote: a clear fault, never a silently wrong object. */
export class UnreadableItem extends Error {
  constructor(kind: string, where: string, issues: readonly z.core.$ZodIssue[]) {
    const problems = issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.code}`)
      .join('; ');
    super(`The ${kind} item ${where} does not parse: ${problems}`);
    this.name = 'UnreadableItem';
  }
}

/**
 * Reads an item through its kind's schema (zod/mini: these run in the hot path's bundles). The entity
 * schemas are loose objects: they check every field the domain reads and keep any other attribute as
 * stored, so a round trip gives back exactly what was written.
 */
export function parseItem<T>(
  kind: string,
  schema: z.ZodMiniType<T>,
  item: unknown,
  /** Where it was read from, for the error: its key (the key attributes are usually dropped before parsing). */
  where: string,
): T {
  const parsed = z.safeParse(schema, item);
  if (!parsed.success) throw new UnreadableItem(kind, where, parsed.error.issues);
  return parsed.data;
}

export const keyOf = (item: Record<string, unknown>): string =>
  [item.pk, item.sk].filter((part) => typeof part === 'string').join(' ') || '(no key)';

/** A map of numbers (code hash → epoch ms, country → price): a check of its own, lighter than z.record. */
export const numberMap = () =>
  z.custom<Record<string, number>>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every((entry) => typeof entry === 'number'),
  );
