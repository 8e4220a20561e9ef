// The Inbox and Sent pages: the archives of received and sent faxes (sender ident, caller id, pages, time; partial
// receptions and bad rows marked), reloaded when a fax is added, each fax opening in the page viewer.

import type { FaxInboxMessage, FaxOutboxMessage } from '@faxd/client';
import { statusText } from '@faxd/contract';
import { useEffect, useState } from 'preact/hooks';
import { formatSize, formatTime, orDash } from './format.js';
import type { LiveServer, LiveSnapshot } from './live-server.js';
import { type ArchiveKind, PageViewer } from './page-viewer.js';
import { ScrollRegion } from './scroll-region.js';
import { errorText } from './session.js';

type Message = FaxInboxMessage | FaxOutboxMessage;

/** The archive's list, reloaded each time the live picture says a fax was added. */
function useArchive(server: LiveServer, kind: ArchiveKind, version: number) {
  const [messages, setMessages] = useState<readonly Message[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let gone = false;
    const load = kind === 'inbox' ? server.server.getInbox() : server.server.getOutbox();
    load.then(
      (list) => {
        if (gone) return;
        setMessages(list);
        setError(undefined);
      },
      (reason: unknown) => {
        if (!gone)
          setError(`The ${kind === 'inbox' ? 'inbox' : 'sent items'} could not be loaded: ${errorText(reason)}`);
      },
    );
    return () => {
      gone = true;
    };
  }, [server, kind, version]);
  return { messages, error };
}

function InboxRow(props: { message: FaxInboxMessage }) {
  const { message } = props;
  return (
    <tr data-message-id={message.id}>
      <td>{formatTime(new Date(message.receivedAt))}</td>
      <td>
        {orDash(message.tsid)}
        <div class="sub">Caller ID {orDash(message.callerId)}</div>
      </td>
      <td>
        {message.pages}
        {message.partial && <span class="pill pill-bad">Partial</span>}
        {message.badRows > 0 && <span class="pill pill-bad">{message.badRows} bad rows</span>}
      </td>
      <td>
        Line {message.deviceId}
        <div class="sub">{formatSize(message.size)}</div>
      </td>
      <td class="actions">
        <a
          href={`#/inbox/${encodeURIComponent(message.id)}`}
          aria-label={`View the fax from ${message.tsid || 'unknown'}`}
        >
          View
        </a>
      </td>
    </tr>
  );
}

function OutboxRow(props: { message: FaxOutboxMessage }) {
  const { message } = props;
  return (
    <tr data-message-id={message.id}>
      <td>{formatTime(new Date(message.transmissionEnd ?? message.submissionTime))}</td>
      <td>
        {[message.recipientName, message.recipientNumber].filter(Boolean).join(' · ')}
        <div class="sub">{message.documentName}</div>
      </td>
      <td>
        {message.pages}
        <div class="sub">{statusText(message.status)}</div>
      </td>
      <td>
        {message.deviceId === null ? '—' : `Line ${message.deviceId}`}
        <div class="sub">Remote {orDash(message.csid)}</div>
      </td>
      <td class="actions">
        <a href={`#/sent/${encodeURIComponent(message.id)}`} aria-label={`View the fax to ${message.recipientNumber}`}>
          View
        </a>
      </td>
    </tr>
  );
}

function ArchiveView(props: { live: LiveSnapshot; server: LiveServer; param?: string; kind: ArchiveKind }) {
  const { kind } = props;
  const { messages, error } = useArchive(props.server, kind, props.live.archiveVersion);
  const back = kind === 'inbox' ? '#/inbox' : '#/sent';
  if (error !== undefined)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (messages === undefined) return <p class="empty">Loading…</p>;
  if (props.param !== undefined) {
    const message = messages.find((candidate) => candidate.id === props.param);
    if (message === undefined)
      return (
        <p class="error" role="alert">
          There is no fax {props.param} here. <a href={back}>Back to the list</a>
        </p>
      );
    return (
      <>
        <p>
          <a href={back}>← All {kind === 'inbox' ? 'received' : 'sent'} faxes</a>
        </p>
        <PageViewer server={props.server.server} kind={kind} id={message.id} pages={message.pages} />
      </>
    );
  }
  if (messages.length === 0)
    return <p class="empty">{kind === 'inbox' ? 'No faxes received yet.' : 'No faxes sent yet.'}</p>;
  return (
    <ScrollRegion class="table-scroll" label={kind === 'inbox' ? 'Received faxes' : 'Sent faxes'}>
      <table>
        <thead>
          <tr>
            <th scope="col">{kind === 'inbox' ? 'Received' : 'Ended'}</th>
            <th scope="col">{kind === 'inbox' ? 'From' : 'To'}</th>
            <th scope="col">Pages</th>
            <th scope="col">Line</th>
            <th scope="col">
              <span class="visually-hidden">View</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {messages.map((message) =>
            kind === 'inbox' ? (
              <InboxRow key={message.id} message={message as FaxInboxMessage} />
            ) : (
              <OutboxRow key={message.id} message={message as FaxOutboxMessage} />
            ),
          )}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

export function InboxView(props: { live: LiveSnapshot; server: LiveServer; param?: string }) {
  return <ArchiveView {...props} kind="inbox" />;
}

export function SentView(props: { live: LiveSnapshot; server: LiveServer; param?: string }) {
  return <ArchiveView {...props} kind="outbox" />;
}
