// The console's entry: connects with the credentials kept for this browser session (or none), shows the sign-in when
// faxd refuses them, and the console once it accepts.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { App } from './app.js';
import { LiveServer } from './live-server.js';
import { type Credentials, errorText, forgetCredentials, isRefusal, savedCredentials, signIn } from './session.js';
import { SignIn } from './sign-in.js';
import './styles.css';

type Phase =
  | { readonly kind: 'starting' }
  | { readonly kind: 'signed-out'; readonly error: string | undefined }
  | { readonly kind: 'unreachable'; readonly error: string }
  | { readonly kind: 'signed-in'; readonly live: LiveServer };

function Root() {
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });

  const attempt = async (credentials: Credentials, fromForm: boolean): Promise<void> => {
    try {
      const live = new LiveServer(await signIn(credentials));
      live.start();
      setPhase({ kind: 'signed-in', live });
    } catch (error) {
      if (isRefusal(error)) {
        forgetCredentials();
        setPhase({ kind: 'signed-out', error: fromForm ? 'faxd refused that token.' : undefined });
      } else {
        setPhase({ kind: fromForm ? 'signed-out' : 'unreachable', error: errorText(error) });
      }
    }
  };

  useEffect(() => {
    void attempt(savedCredentials(), false);
  }, []);

  switch (phase.kind) {
    case 'starting':
      return <p class="empty">Connecting to faxd…</p>;
    case 'unreachable':
      return (
        <main class="sign-in">
          <p role="alert">{phase.error}</p>
          <button type="button" onClick={() => void attempt(savedCredentials(), false)}>
            Try again
          </button>
        </main>
      );
    case 'signed-out':
      return <SignIn error={phase.error} onSubmit={(credentials) => attempt(credentials, true)} />;
    case 'signed-in':
      return (
        <App
          server={phase.live}
          onSignOut={() => {
            phase.live.stop();
            forgetCredentials();
            setPhase({ kind: 'signed-out', error: undefined });
          }}
        />
      );
  }
}

render(<Root />, document.getElementById('app')!);
