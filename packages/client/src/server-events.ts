// The server's push events for SDK listeners, IFaxServerNotify2 (faxcomex.h) as typed positional callbacks: listeners
// by event name, and the subscription ListenToServerEvents sets up with a FAX_SERVER_EVENTS_TYPE_ENUM mask.

import {
  argumentsOf,
  FAX_SERVER_EVENTS_TYPE_ENUM,
  type FaxJobStatus as FaxJobStatusData,
  type FaxServerEvent,
  type FaxServerEventArguments,
  type FaxServerEventName,
  faxServerEventNamed,
  maskOfAll,
} from '@faxd/contract';
import { EventConnection } from './event-connection.js';
import { FaxJobStatus } from './fax-job-status.js';
import type { HttpClient } from './http-client.js';

/** A listener's arguments: the COM method's arguments after pFaxServer, with the job status as the SDK's class. */
export type FaxServerEventListenerArguments<N extends FaxServerEventName> = N extends
  | 'incomingJobChanged'
  | 'outgoingJobChanged'
  ? [jobId: string, jobStatus: FaxJobStatus]
  : FaxServerEventArguments<N>;

export type FaxServerEventListener<N extends FaxServerEventName> = (
  ...args: FaxServerEventListenerArguments<N>
) => void;

/** A listener for every event, given the event object as the wire carries it. */
export type FaxServerEventObserver = (event: FaxServerEvent) => void;

type AnyListener = (...args: unknown[]) => void;

const ALL_EVENTS_MASK = maskOfAll(FAX_SERVER_EVENTS_TYPE_ENUM);

/**
 * A listener that throws must not stop the stream nor hide from the application: the error is thrown again on its
 * own, where the runtime reports uncaught errors.
 */
function callSafely(call: () => void): void {
  try {
    call();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

export class ServerEvents {
  readonly #http: HttpClient;
  readonly #listeners = new Map<FaxServerEventName, Set<AnyListener>>();
  readonly #observers = new Set<FaxServerEventObserver>();
  #connection: EventConnection | undefined;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Adds a listener for `name`. A script may also give the COM method's name (`OnOutgoingJobChanged`); a name that is
   * no event throws a TypeError rather than never firing.
   */
  on<N extends FaxServerEventName>(name: N, listener: FaxServerEventListener<N>): void {
    const event = faxServerEventNamed(name);
    const listeners = this.#listeners.get(event) ?? new Set<AnyListener>();
    this.#listeners.set(event, listeners.add(listener as AnyListener));
  }

  off<N extends FaxServerEventName>(name: N, listener: FaxServerEventListener<N>): void {
    this.#listeners.get(faxServerEventNamed(name))?.delete(listener as AnyListener);
  }

  observe(observer: FaxServerEventObserver): void {
    this.#observers.add(observer);
  }

  unobserve(observer: FaxServerEventObserver): void {
    this.#observers.delete(observer);
  }

  /**
   * Replaces the subscription with one for `mask`; fsetNONE ends it. Resolves once the server accepted it, so that
   * events caused afterwards are delivered.
   */
  async listen(mask: number): Promise<void> {
    if (!Number.isInteger(mask) || mask < 0 || (mask & ~ALL_EVENTS_MASK) !== 0) {
      throw new RangeError(`${mask} is not a FAX_SERVER_EVENTS_TYPE_ENUM mask`);
    }
    this.close();
    if (mask === FAX_SERVER_EVENTS_TYPE_ENUM.fsetNONE) return;
    const connection = new EventConnection(this.#http, mask, (event) => this.#deliver(event));
    this.#connection = connection;
    try {
      await connection.open();
    } catch (error) {
      if (this.#connection === connection) this.#connection = undefined;
      throw error;
    }
  }

  /** Ends the subscription, if any. */
  close(): void {
    this.#connection?.close();
    this.#connection = undefined;
  }

  #deliver(event: FaxServerEvent): void {
    for (const observer of this.#observers) callSafely(() => observer(event));
    const listeners = this.#listeners.get(event.event);
    if (listeners === undefined || listeners.size === 0) return;
    const args: unknown[] = argumentsOf(event);
    if (event.event === 'outgoingJobChanged' || event.event === 'incomingJobChanged') {
      args[1] = new FaxJobStatus(args[1] as FaxJobStatusData);
    }
    for (const listener of [...listeners]) callSafely(() => listener(...args));
  }
}
