// The sign-in page: the only thing shown until faxd accepts the credentials. A user's name and password (faxd answers
// with a session cookie), or the server's access token (its `token`, or a user's API key).

import { useState } from 'preact/hooks';
import type { Credentials } from './session.js';

/** The credentials the form's fields make, or why they make none. */
function credentialsOf(name: string, password: string, token: string): Credentials | string {
  if (name !== '' || password !== '') {
    return name !== '' && password !== ''
      ? { kind: 'password', name, password }
      : 'Enter both the user name and the password.';
  }
  return token === '' ? 'Enter the access token.' : { kind: 'token', token };
}

function Field(props: {
  id: string;
  label: string;
  type: string;
  autocomplete: string;
  value: string;
  set: (value: string) => void;
  invalid: boolean;
}) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type}
        autocomplete={props.autocomplete}
        value={props.value}
        onInput={(event) => props.set((event.target as HTMLInputElement).value)}
        aria-invalid={props.invalid}
        aria-describedby={props.invalid ? 'sign-in-error' : undefined}
      />
    </>
  );
}

export function SignIn(props: { error: string | undefined; onSubmit: (credentials: Credentials) => Promise<void> }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const submit = async (event: Event) => {
    event.preventDefault();
    const credentials = credentialsOf(name.trim(), password, token.trim());
    if (typeof credentials === 'string') {
      setProblem(credentials);
      return;
    }
    setProblem(undefined);
    setBusy(true);
    await props.onSubmit(credentials);
    setBusy(false);
  };
  const error = problem ?? props.error;
  const invalid = error !== undefined;
  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">faxd</h1>
        <p>Sign in with your user name and password, or with an access token.</p>
        {[
          { id: 'user-name', label: 'User name', type: 'text', autocomplete: 'username', value: name, set: setName },
          {
            id: 'password',
            label: 'Password',
            type: 'password',
            autocomplete: 'current-password',
            value: password,
            set: setPassword,
          },
          { id: 'token', label: 'Access token', type: 'password', autocomplete: 'off', value: token, set: setToken },
        ].map((field) => (
          <Field key={field.id} {...field} invalid={invalid} />
        ))}
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
