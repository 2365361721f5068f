/** A list answer, `{ items, nextToken? }`, as `--output table` prints it. */
export interface ListAnswer {
  items: Record<string, unknown>[];
  nextToken?: string;
}

export function isListAnswer(value: unknown): value is ListAnswer {
  return typeof value === 'object' && value !== null && Array.isArray((value as ListAnswer).items);
}

/** A cell: scalars as they are, lists of scalars joined; nested objects are left to `--output json`. */
function cell(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value) && value.every((item) => cell(item) !== undefined && typeof item !== 'object')) {
    return value.join(', ');
  }
  return undefined;
}

/**
 * One row per item under a header of field names: the fields whose every value is a scalar or a list
 * of scalars, in the order they first appear; columns padded to their widest cell.
 */
export function formatTable(answer: ListAnswer): string {
  const columns = [...new Set(answer.items.flatMap((item) => Object.keys(item)))].filter((key) =>
    answer.items.every((item) => cell(item[key]) !== undefined),
  );
  const rows = [columns, ...answer.items.map((item) => columns.map((key) => cell(item[key])!))];
  const widths = columns.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
  const lines = answer.items.length
    ? rows.map((row) =>
        row
          .map((text, index) => text.padEnd(widths[index]!))
          .join('  ')
          .trimEnd(),
      )
    : ['(no items)'];
  if (answer.nextToken !== undefined) lines.push('', `next page: --next-token ${answer.nextToken}`);
  return `${lines.join('\n')}\n`;
}
