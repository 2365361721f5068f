import { useState } from 'preact/hooks';
import { asProblem } from './load.ts';
import type { Problem } from './types.ts';

/**
 * A button's call to the API: busy while it runs, then a notice (role=status) or the problem answer
 * (role=alert), optionally under a title of the screen's own ("Contoso was not deleted.").
 */
export function useAction(initialNotice?: string) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [notice, setNotice] = useState(initialNotice);
  const run = async <T>(
    action: () => Promise<T>,
    done?: string,
    failedTitle?: string,
  ): Promise<T | undefined> => {
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const result = await action();
      setNotice(done);
      return result;
    } catch (error) {
      const answer = asProblem(error);
      setProblem(failedTitle ? { ...answer, title: failedTitle } : answer);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, notice, run };
}
