/** `create` run on the first call only; later calls share its promise (an SDK client made on first use). */
export function once<T>(create: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= create());
}
