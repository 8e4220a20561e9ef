// The console's live picture of one faxd: ports and their FaxStatus, the jobs, the queue state and the last events,
// refreshed when the event stream says something changed, and kept honest across a faxd restart by a heartbeat
// that notices the server going away and, once it answers again, subscribes afresh and reloads everything.

import {
  FAX_SERVER_EVENTS_TYPE_ENUM as E,
  type FaxJob,
  type FaxPort,
  type FaxQueueState,
  type FaxServer,
  type FaxServerEvent,
  type FaxStatus,
} from '@faxd/client';

/** Everything but the configuration and service-ended events: what the console's pages show. */
const EVENT_MASK =
  E.fsetIN_QUEUE |
  E.fsetOUT_QUEUE |
  E.fsetACTIVITY |
  E.fsetQUEUE_STATE |
  E.fsetIN_ARCHIVE |
  E.fsetOUT_ARCHIVE |
  E.fsetDEVICE_STATUS |
  E.fsetINCOMING_CALL;

/** How often the console checks that faxd still answers; a restart is noticed within this. */
const HEARTBEAT_MS = 2000;
/** Events that arrive together (a page starting moves a job and a port) cause one reload. */
const SETTLE_MS = 50;
/** The performance mark set the first time the console is live. */
export const LIVE_MARK = 'faxd-console-live';
/** How many events the Server page's log keeps. */
const LOG_LENGTH = 50;

/** The device flags of the last deviceStatusChange for a port (FaxStatus has no "ringing" or "powered off"). */
export interface DeviceFlags {
  readonly poweredOff: boolean;
  readonly ringing: boolean;
}

export interface LiveSnapshot {
  /** 'live' once the event stream is subscribed; 'offline' while faxd does not answer; 'connecting' before. */
  readonly connection: 'connecting' | 'live' | 'offline';
  readonly ports: readonly FaxPort[];
  readonly statuses: readonly FaxStatus[];
  readonly devices: ReadonlyMap<number, DeviceFlags>;
  readonly jobs: readonly FaxJob[];
  readonly queue: FaxQueueState | undefined;
  /** The newest first, each with the time it arrived. */
  readonly log: readonly { readonly at: Date; readonly event: FaxServerEvent }[];
  /** Bumped when an archive changed, so that inbox and sent items reload. */
  readonly archiveVersion: number;
}

type Part = 'statuses' | 'jobs' | 'queue' | 'archive';

/** Which parts of the picture an event makes stale. */
function partsOf(event: FaxServerEvent): Part[] {
  switch (event.event) {
    case 'outgoingJobAdded':
    case 'outgoingJobChanged':
    case 'outgoingJobRemoved':
    case 'incomingJobAdded':
    case 'incomingJobChanged':
    case 'incomingJobRemoved':
      return ['statuses', 'jobs'];
    case 'incomingMessageAdded':
    case 'outgoingMessageAdded':
      return ['archive'];
    case 'queuesStatusChange':
      return ['queue'];
    case 'deviceStatusChange':
    case 'newCall':
    case 'serverActivityChange':
      return ['statuses'];
    default:
      return [];
  }
}

export class LiveServer {
  readonly server: FaxServer;
  #snapshot: LiveSnapshot = {
    connection: 'connecting',
    ports: [],
    statuses: [],
    devices: new Map(),
    jobs: [],
    queue: undefined,
    log: [],
    archiveVersion: 0,
  };
  readonly #listeners = new Set<(snapshot: LiveSnapshot) => void>();
  readonly #stale = new Set<Part>();
  #settleTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** A heartbeat or the first connection is under way: the next beat waits its turn. */
  #checking = false;
  #stopped = false;

  constructor(server: FaxServer) {
    this.server = server;
    server.observe((event) => this.#onEvent(event));
  }

  get snapshot(): LiveSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: (snapshot: LiveSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Subscribes to events and loads everything; afterwards the heartbeat keeps it so. */
  start(): void {
    this.#checking = true;
    void this.#connect().finally(() => {
      this.#checking = false;
    });
    this.#heartbeat = setInterval(() => void this.#beat(), HEARTBEAT_MS);
    document.addEventListener('visibilitychange', this.#onVisible);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#settleTimer);
    document.removeEventListener('visibilitychange', this.#onVisible);
    this.server.disconnect();
  }

  /** Reloads everything now (the pages' Refresh, and the page regaining focus). */
  refresh(): Promise<void> {
    return this.#load(['statuses', 'jobs', 'queue', 'archive']);
  }

  readonly #onVisible = (): void => {
    if (document.visibilityState === 'visible') void this.refresh();
  };

  #set(changes: Partial<LiveSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...changes };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }

  async #connect(): Promise<void> {
    try {
      // Subscribing again replaces the SDK's subscription, so after a restart the stream is known to be open.
      await this.server.listenToServerEvents(EVENT_MASK);
      await this.refresh();
      this.#set({ connection: 'live' });
      // How long the console took from navigation to a live picture (reported by the tests).
      if (performance.getEntriesByName(LIVE_MARK).length === 0) performance.mark(LIVE_MARK);
    } catch {
      this.#set({ connection: 'offline' });
    }
  }

  async #beat(): Promise<void> {
    if (this.#checking || this.#stopped) return;
    this.#checking = true;
    try {
      const queue = await this.server.getQueueState();
      if (this.#snapshot.connection === 'live') this.#set({ queue });
      else await this.#connect();
    } catch {
      this.#set({ connection: 'offline' });
    } finally {
      this.#checking = false;
    }
  }

  #onEvent(event: FaxServerEvent): void {
    const log = [{ at: new Date(), event }, ...this.#snapshot.log].slice(0, LOG_LENGTH);
    if (event.event === 'deviceStatusChange') {
      const devices = new Map(this.#snapshot.devices);
      devices.set(event.deviceId, { poweredOff: event.poweredOff, ringing: event.ringing });
      this.#set({ log, devices });
    } else {
      this.#set({ log });
    }
    for (const part of partsOf(event)) this.#stale.add(part);
    if (this.#settleTimer === undefined) {
      this.#settleTimer = setTimeout(() => {
        this.#settleTimer = undefined;
        const parts = [...this.#stale];
        this.#stale.clear();
        void this.#load(parts);
      }, SETTLE_MS);
    }
  }

  /** Reloads `parts`; a failure leaves the last picture and lets the heartbeat find out whether faxd went away. */
  async #load(parts: readonly Part[]): Promise<void> {
    try {
      // A port's call (media, modem, rate, ECM) is not in FaxStatus: the ports come again with every status.
      const [ports, statuses, jobs, queue] = await Promise.all([
        parts.includes('statuses') ? this.server.getPorts() : undefined,
        parts.includes('statuses') ? this.server.getPortStatuses() : undefined,
        parts.includes('jobs') ? this.server.getJobs({ all: true }) : undefined,
        parts.includes('queue') ? this.server.getQueueState() : undefined,
      ]);
      const changes: { -readonly [K in keyof LiveSnapshot]?: LiveSnapshot[K] } = {};
      if (ports !== undefined) changes.ports = [...ports];
      if (statuses !== undefined) changes.statuses = statuses;
      if (jobs !== undefined) changes.jobs = jobs;
      if (queue !== undefined) changes.queue = queue;
      if (parts.includes('archive')) changes.archiveVersion = this.#snapshot.archiveVersion + 1;
      this.#set(changes);
    } catch {
      void this.#beat();
    }
  }
}
