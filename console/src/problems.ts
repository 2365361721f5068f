import type { FieldError, Problem } from './types.ts';

export interface SortedErrors {
  /** Messages for each field path the form shows (a path's own errors and those of its members). */
  byField: Record<string, string[]>;
  /** Errors that name no field on the screen: shown in the alert, with their path. */
  rest: FieldError[];
}

/** Sorts a problem's `errors[]` onto the fields a form shows, `fields` being their API paths. */
export function sortErrors(problem: Problem | undefined, fields: readonly string[]): SortedErrors {
  const byField: Record<string, string[]> = {};
  const rest: FieldError[] = [];
  for (const error of problem?.errors ?? []) {
    const field = fields.find((path) => error.path === path || error.path.startsWith(`${path}.`));
    if (field) (byField[field] ??= []).push(error.message);
    else rest.push(error);
  }
  return { byField, rest };
}
