// Signing the console in: the credentials a person gives once, and the connection to faxd that they open through the
// SDK. A token is kept for the browser session (sessionStorage, so it goes when the tab closes); a user's password is
// never kept: it buys an HttpOnly session cookie from faxd (POST /v1/session), and what is kept is only that the
// cookie is there, with its CSRF token read back from the faxd_csrf cookie for every change.

import { FaxApiError, FaxServer } from '@faxd/client';

/** What a person signs in with; `session` is a cookie faxd gave for a name and password earlier. */
export type Credentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'password'; readonly name: string; readonly password: string }
  | { readonly kind: 'session' };

const STORAGE_KEY = 'faxd.console.credentials';
const SESSION_PATH = '/v1/session';

export function savedCredentials(): Credentials {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (text === null) return { kind: 'none' };
  try {
    const value = JSON.parse(text) as Credentials;
    if (value.kind === 'session') return value;
    return value.kind === 'token' && typeof value.token === 'string' ? value : { kind: 'none' };
  } catch {
    return { kind: 'none' };
  }
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The CSRF token of the session faxd gave this browser, if it has one. */
function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === 'faxd_csrf' && value) return value;
  }
  return undefined;
}

/** Trades a name and password for faxd's session cookie; a refusal throws the SDK's FaxApiError. */
async function openSession(name: string, password: string): Promise<void> {
  const response = await fetch(SESSION_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (!response.ok) throw FaxApiError.fromResponse(response.status, await response.json().catch(() => undefined));
}

/** Ends the session cookie's session at faxd, if there is one; the console is signed out whatever faxd answers. */
export async function signOut(): Promise<void> {
  const csrf = csrfToken();
  if (csrf === undefined) return;
  await fetch(SESSION_PATH, { method: 'DELETE', headers: { 'x-csrf-token': csrf } }).catch(() => undefined);
}

/** Connects to the faxd that served this page; keeps `credentials` (never a password) once they worked. */
export async function signIn(credentials: Credentials): Promise<FaxServer> {
  switch (credentials.kind) {
    case 'none':
      return FaxServer.connect(location.origin);
    case 'token': {
      const server = await FaxServer.connect(location.origin, { token: credentials.token });
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
      return server;
    }
    case 'password':
      await openSession(credentials.name, credentials.password);
      return signIn({ kind: 'session' });
    case 'session': {
      const server = await FaxServer.connect(location.origin, { csrfToken: csrfToken() });
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ kind: 'session' }));
      return server;
    }
  }
}

/** Whether `error` means the server wants (other) credentials rather than that it could not be reached. */
export function isRefusal(error: unknown): boolean {
  return error instanceof FaxApiError && error.status === 401;
}

/** What the sign-in page says when faxd refused `credentials`. */
export function refusalText(credentials: Credentials): string {
  return credentials.kind === 'password' ? 'faxd refused that user name or password.' : 'faxd refused that token.';
}

/** A sentence for a person from any error the SDK throws. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
