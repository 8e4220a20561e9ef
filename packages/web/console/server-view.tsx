// The Server page: the queues' blocked and paused switches as the API allows them (PATCH /v1/queue), and a live log
// of the last events faxd pushed.

import type { FaxQueueState } from '@faxd/client';
import { useState } from 'preact/hooks';
import type { LiveServer, LiveSnapshot } from './live-server.js';
import { errorText } from './session.js';

const SWITCHES: readonly { readonly key: keyof FaxQueueState; readonly label: string; readonly help: string }[] = [
  {
    key: 'outgoingQueuePaused',
    label: 'Pause the outgoing queue',
    help: 'Waiting faxes stay queued; none starts until it is resumed.',
  },
  { key: 'outgoingQueueBlocked', label: 'Block the outgoing queue', help: 'No new fax is accepted for sending.' },
  { key: 'incomingQueueBlocked', label: 'Block incoming faxes', help: 'The lines do not answer calls.' },
];

/** One event as a line of the log: its name and its arguments. */
function eventText(event: LiveSnapshot['log'][number]['event']): string {
  const { event: name, ...rest } = event;
  const args = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' ');
  return `${name} ${args}`.trim();
}

export function ServerView(props: { live: LiveSnapshot; server: LiveServer }) {
  const { queue, log } = props.live;
  const [error, setError] = useState<string | undefined>();
  // The switch the person just flipped shows its new position while faxd is asked, and the answer's afterwards.
  const [pending, setPending] = useState<Partial<FaxQueueState>>({});
  const busy = Object.keys(pending).length > 0;
  const change = async (key: keyof FaxQueueState, value: boolean) => {
    setPending({ [key]: value });
    try {
      await props.server.server.setQueueState({ [key]: value });
      await props.server.refresh();
      setError(undefined);
    } catch (reason) {
      setError(`The queue was not changed: ${errorText(reason)}`);
    } finally {
      setPending({});
    }
  };
  return (
    <>
      <section aria-labelledby="queues-title" class="panel">
        <h2 id="queues-title">Queues</h2>
        {queue === undefined ? (
          <p class="empty">Loading…</p>
        ) : (
          SWITCHES.map(({ key, label, help }) => (
            <div class="switch" key={key}>
              <input
                id={`queue-${key}`}
                type="checkbox"
                checked={pending[key] ?? queue[key]}
                disabled={busy}
                aria-describedby={`queue-${key}-help`}
                onChange={(event) => void change(key, (event.target as HTMLInputElement).checked)}
              />
              <label for={`queue-${key}`}>{label}</label>
              <p id={`queue-${key}-help`} class="sub">
                {help}
              </p>
            </div>
          ))
        )}
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </section>
      <section aria-labelledby="log-title" class="panel">
        <h2 id="log-title">Last events</h2>
        {log.length === 0 ? (
          <p class="empty">No events since the console was opened.</p>
        ) : (
          <ol class="log">
            {log.map(({ at, event }, index) => (
              <li key={`${at.getTime()}-${index}`}>
                <time dateTime={at.toISOString()}>{at.toLocaleTimeString()}</time> <code>{eventText(event)}</code>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
