// The Lines page: one card per port with the FaxStatus properties a person watches (state, page n of m with a
// progress bar, the remote station, document and recipient while sending, the call's media, modem and rate, the time
// elapsed), live from the events.

import type { FaxPort, FaxStatus } from '@faxd/client';
import { formatCall, formatDuration, formatSize, orDash } from './format.js';
import type { DeviceFlags, LiveSnapshot } from './live-server.js';
import { useNow } from './use-now.js';

/** What a person should see at a glance; each has its own colour and mark in styles.css. */
type LineState = 'off' | 'ringing' | 'sending' | 'receiving' | 'idle';

function lineState(status: FaxStatus, flags: DeviceFlags | undefined): LineState {
  if (flags?.poweredOff) return 'off';
  if (status.send) return 'sending';
  if (status.receive) return 'receiving';
  if (flags?.ringing) return 'ringing';
  return 'idle';
}

const STATE_MARK: Readonly<Record<LineState, string>> = {
  off: '○',
  ringing: '☎',
  sending: '↑',
  receiving: '↓',
  idle: '•',
};

function Field(props: { label: string; value: string }) {
  return (
    <div class="field">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

function PageProgress(props: { status: FaxStatus; state: LineState }) {
  const { status, state } = props;
  if (state === 'sending') {
    const current = status.currentPage ?? 0;
    const count = status.pageCount ?? 0;
    return (
      <div class="progress">
        <span class="page">{current === 0 ? `Starting (${count} pages)` : `Page ${current} of ${count}`}</span>
        <progress max={Math.max(count, 1)} value={current} aria-label={`Page ${current} of ${count}`} />
      </div>
    );
  }
  return null;
}

function LineCard(props: {
  port: FaxPort | undefined;
  status: FaxStatus;
  flags: DeviceFlags | undefined;
  now: number;
}) {
  const { port, status, flags, now } = props;
  const state = lineState(status, flags);
  const started = status.startTime;
  const elapsed = started === null ? null : formatDuration((now - started.getTime()) / 1000);
  const headingId = `line-${status.deviceId}`;
  return (
    <article
      class={`line line-${state}`}
      data-device-id={status.deviceId}
      data-state={state}
      aria-labelledby={headingId}
    >
      <header>
        <span class="mark" aria-hidden="true">
          {STATE_MARK[state]}
        </span>
        <h2 id={headingId}>{status.deviceName}</h2>
        <span class="badge">
          {state === 'off' ? 'Powered off' : state === 'ringing' ? 'Ringing' : status.description}
        </span>
      </header>
      <PageProgress status={status} state={state} />
      <dl>
        {state === 'sending' && (
          <>
            <Field label="To" value={`${orDash(status.recipientName)} (${orDash(status.address)})`} />
            <Field label="Remote CSID" value={orDash(status.csid)} />
            <Field label="Document" value={orDash(status.documentName)} />
            <Field label="Size" value={status.documentSize === null ? '—' : formatSize(status.documentSize)} />
            <Field label="Sender" value={orDash(status.senderName)} />
          </>
        )}
        {state === 'receiving' && (
          <>
            <Field label="Caller ID" value={orDash(status.callerId)} />
            <Field label="Remote TSID" value={orDash(status.tsid)} />
            <Field label="For" value={orDash(status.recipientName)} />
            <Field label="Routing" value={orDash(status.routingString)} />
          </>
        )}
        {(state === 'sending' || state === 'receiving') && port?.call && (
          <Field label="Call" value={formatCall(port.call)} />
        )}
        {elapsed !== null && <Field label="Elapsed" value={elapsed} />}
        {state !== 'sending' && state !== 'receiving' && port !== undefined && (
          <>
            <Field
              label="Line"
              value={`${port.deviceId} · ${[port.send && 'sends', port.receive && 'receives'].filter(Boolean).join(', ') || 'disabled'}`}
            />
            <Field label="Own ID" value={orDash(port.tsid)} />
          </>
        )}
      </dl>
    </article>
  );
}

export function LinesView(props: { live: LiveSnapshot }) {
  const { live } = props;
  const now = useNow();
  const portById = new Map(live.ports.map((port) => [port.deviceId, port]));
  if (live.statuses.length === 0)
    return <p class="empty">{live.connection === 'offline' ? 'No lines while faxd is away.' : 'Loading lines…'}</p>;
  return (
    <div class="lines">
      {live.statuses.map((status) => (
        <LineCard
          key={status.deviceId}
          port={portById.get(status.deviceId)}
          status={status}
          flags={live.devices.get(status.deviceId)}
          now={now}
        />
      ))}
    </div>
  );
}
