// The sign-in page: the only thing shown until faxd accepts the credentials. Today an access token (the server's
// `token`); a user's name and password will be a second way in on the same form.

import { useState } from 'preact/hooks';
import type { Credentials } from './session.js';

export function SignIn(props: { error: string | undefined; onSubmit: (credentials: Credentials) => Promise<void> }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [empty, setEmpty] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (token.trim() === '') {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    setBusy(true);
    await props.onSubmit({ kind: 'token', token: token.trim() });
    setBusy(false);
  };
  const error = empty ? 'Enter the access token.' : props.error;
  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">faxd</h1>
        <p>This fax server asks for its access token.</p>
        <label for="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          value={token}
          onInput={(event) => setToken((event.target as HTMLInputElement).value)}
          aria-invalid={error !== undefined}
          aria-describedby={error === undefined ? undefined : 'sign-in-error'}
        />
        {error !== undefined && (
          <p id="sign-in-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
