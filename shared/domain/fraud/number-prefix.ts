/**
 * The range a number belongs to, as pumping attacks walk it: the first `digits` E.164 digits (country
 * code included, no `+`), never more than the number's length minus 4, so a prefix is always shared by
 * at least 10,000 numbers and never identifies one.
 */
export function numberPrefix(e164: string, digits: number): string {
  const all = e164.replace(/^\+/, '');
  return all.slice(0, Math.max(1, Math.min(digits, all.length - 4)));
}
