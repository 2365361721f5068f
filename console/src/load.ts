import { useCallback, useEffect, useState } from 'preact/hooks';
import { admin, answer, everyPage, op, ProblemError } from './api.ts';
import type { Gateway, GatewayType, IdentityStore, Problem } from './types.ts';

export interface Loaded<T> {
  data: T | undefined;
  problem: Problem | undefined;
  reload: () => void;
}

/** Runs `load` when the screen opens (and on reload); a failure becomes the screen's problem alert. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<Problem>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && (setData(value), setProblem(undefined)),
      (error: unknown) => current && setProblem(asProblem(error)),
    );
    return () => {
      current = false;
    };
  }, [key, round]); // `key` names what `load` reads
  return { data, problem, reload: useCallback(() => setRound((n) => n + 1), []) };
}

export function asProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  return { type: 'about:blank', title: 'Error', status: 0, detail: String(error) };
}

let types: Promise<GatewayType[]> | undefined;
/** The gateway types do not change while the page is open. */
export const gatewayTypes = (): Promise<GatewayType[]> =>
  (types ??= answer(admin.GET(op['gateway-types-list'])).then((answered) => answered.items)).catch(
    (error: unknown) => {
      types = undefined;
      throw error;
    },
  );

const page = (nextToken: string | undefined) => ({
  query: { limit: 100, ...(nextToken ? { nextToken } : {}) },
});
export const listGateways = (): Promise<Gateway[]> =>
  everyPage((nextToken) => admin.GET(op['gateways-list'], { params: page(nextToken) }));
export const listStores = (): Promise<IdentityStore[]> =>
  everyPage((nextToken) => admin.GET(op['identity-stores-list'], { params: page(nextToken) }));

/** Names for ids, for the tables and the gateway-in-use refusal; an unknown id shows as itself. */
export const namer =
  (items: { id: string; name: string }[] | undefined) =>
  (id: string): string =>
    items?.find((item) => item.id === id)?.name ?? id;
