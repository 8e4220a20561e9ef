// Signing the console in: the credentials a person gives once, kept for the browser session (sessionStorage, so they
// go when the tab closes), and the connection to faxd that they open through the SDK.

import { FaxApiError, FaxServer } from '@faxd/client';

/**
 * What a person signs in with. A server without a token needs nothing; a user's name and password will join as a
 * third kind once faxd has users, and the sign-in form grows a tab for it: nothing else here changes.
 */
export type Credentials = { readonly kind: 'none' } | { readonly kind: 'token'; readonly token: string };

const STORAGE_KEY = 'faxd.console.credentials';

export function savedCredentials(): Credentials {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (text === null) return { kind: 'none' };
  try {
    const value = JSON.parse(text) as Credentials;
    return value.kind === 'token' && typeof value.token === 'string' ? value : { kind: 'none' };
  } catch {
    return { kind: 'none' };
  }
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The SDK's connect options for `credentials`. */
function connectOptions(credentials: Credentials): { token?: string } {
  switch (credentials.kind) {
    case 'none':
      return {};
    case 'token':
      return { token: credentials.token };
  }
}

/** Connects to the faxd that served this page; keeps `credentials` once they worked. */
export async function signIn(credentials: Credentials): Promise<FaxServer> {
  const server = await FaxServer.connect(location.origin, connectOptions(credentials));
  if (credentials.kind !== 'none') sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  return server;
}

/** Whether `error` means the server wants (other) credentials rather than that it could not be reached. */
export function isRefusal(error: unknown): boolean {
  return error instanceof FaxApiError && error.status === 401;
}

/** A sentence for a person from any error the SDK throws. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
