/**
 * The admin token: taken from the `#token=` fragment that `npm start` (or `npm run console`) prints, which
 * is removed from the address bar before anything else runs, then kept for this tab only
 * (sessionStorage) so that a reload stays signed in. It leaves the page only as `Authorization: Bearer`.
 */
const KEY = 'sms-mfa-console-token';

export function takeTokenFromAddress(): void {
  const match = /^#token=([^&]*)/.exec(location.hash);
  if (!match) return;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  const token = decodeURIComponent(match[1] ?? '').trim();
  if (token) sessionStorage.setItem(KEY, token);
}

export const storedToken = (): string | null => sessionStorage.getItem(KEY);
export const keepToken = (token: string): void => sessionStorage.setItem(KEY, token.trim());
export const forgetToken = (): void => sessionStorage.removeItem(KEY);
