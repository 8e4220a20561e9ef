// The console once signed in: a header with the connection state, the page menu, and the page the URL's hash names.

import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { InboxView, SentView } from './archive-view.js';
import { LinesView } from './lines-view.js';
import type { LiveServer, LiveSnapshot } from './live-server.js';
import { QueueView } from './queue-view.js';
import { SendView } from './send-view.js';
import { ServerView } from './server-view.js';

interface Page {
  readonly path: string;
  readonly title: string;
  /** `param` is what follows the page's name in the hash: `#/inbox/ID` opens that fax. */
  readonly view: ComponentType<{ live: LiveSnapshot; server: LiveServer; param?: string }>;
  /** Whether the page shows server state that its Refresh button reloads (a form does not). */
  readonly refreshes: boolean;
}

const PAGES: readonly Page[] = [
  { path: 'lines', title: 'Lines', view: LinesView, refreshes: true },
  { path: 'send', title: 'Send', view: SendView, refreshes: false },
  { path: 'queue', title: 'Queue', view: QueueView, refreshes: true },
  { path: 'inbox', title: 'Inbox', view: InboxView, refreshes: true },
  { path: 'sent', title: 'Sent', view: SentView, refreshes: true },
  { path: 'server', title: 'Server', view: ServerView, refreshes: true },
];

function currentPath(): string {
  return location.hash.replace(/^#\/?/, '') || 'lines';
}

function useSnapshot(server: LiveServer): LiveSnapshot {
  const [snapshot, setSnapshot] = useState(server.snapshot);
  useEffect(() => server.subscribe(setSnapshot), [server]);
  return snapshot;
}

const CONNECTION_TEXT: Readonly<Record<LiveSnapshot['connection'], string>> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'faxd is not answering; reconnecting…',
};

export function App(props: { server: LiveServer; onSignOut: () => void }) {
  const live = useSnapshot(props.server);
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const onHash = () => setPath(currentPath());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const [section, ...rest] = path.split('/');
  const param = rest.length === 0 ? undefined : decodeURIComponent(rest.join('/'));
  const page = PAGES.find((candidate) => candidate.path === section) ?? PAGES[0]!;
  useEffect(() => {
    document.title = `${page.title} · faxd`;
  }, [page]);
  const View = page.view;
  return (
    <>
      <header class="top">
        <span class="brand">faxd</span>
        <nav aria-label="Pages">
          {PAGES.map((candidate) => (
            <a key={candidate.path} href={`#/${candidate.path}`} aria-current={candidate === page ? 'page' : undefined}>
              {candidate.title}
            </a>
          ))}
        </nav>
        <span class={`connection connection-${live.connection}`} role="status">
          {CONNECTION_TEXT[live.connection]}
        </span>
        <button type="button" class="quiet" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      <main data-connection={live.connection}>
        <div class="page-title">
          <h1>{page.title}</h1>
          {page.refreshes && (
            <button type="button" class="quiet" onClick={() => void props.server.refresh()}>
              Refresh
            </button>
          )}
        </div>
        {live.connection === 'offline' && (
          <p class="stale">faxd is not answering. This is the last known state; it updates once faxd is back.</p>
        )}
        <View live={live} server={props.server} param={param} />
      </main>
    </>
  );
}
