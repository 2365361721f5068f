import { useEffect, useState } from 'preact/hooks';

/** Screens live under /console/; the server answers index.html for every path there. */
export const BASE = '/console/';
const CHANGE = 'console:navigate';

export const currentPath = (): string =>
  location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length).replace(/\/+$/, '') : '';

let notice: string | undefined;

/** Goes to another screen; `message` is shown there once (role=status), e.g. "SMS gateway saved". */
export function navigate(path: string, message?: string): void {
  notice = message;
  history.pushState(null, '', `${BASE}${path}`);
  dispatchEvent(new Event(CHANGE));
}

export function takeNotice(): string | undefined {
  const message = notice;
  notice = undefined;
  return message;
}

export function useCurrentPath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    addEventListener('popstate', update);
    addEventListener(CHANGE, update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener(CHANGE, update);
    };
  }, []);
  return path;
}

/** A link that changes screens without reloading the page. */
export function linkClick(path: string) {
  return (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(path);
  };
}
