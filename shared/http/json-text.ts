/** The JSON value of a body, or undefined when there is none or it is not JSON (answers may be either). */
export function jsonOrUndefined(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
