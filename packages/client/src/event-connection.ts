// One subscription to faxd's push channel (contract EVENTS_PATH, Server-Sent Events): opens GET /v1/events?mask=N,
// parses the stream and hands on each FaxServerEvent, reconnecting with a growing back-off when the stream drops and
// asking, with Last-Event-ID, for the events raised meanwhile.

import { EVENTS_PATH, FAX_SERVER_EVENTS, type FaxServerEvent } from '@faxd/contract';
import { SseParser } from './event-stream.js';
import type { HttpClient } from './http-client.js';

/** The first wait before reconnecting, doubled after each failed attempt up to MAX_RETRY_MS. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

/** The FaxServerEvent a message carries, or undefined for anything this SDK does not know (a newer server's event). */
function eventOf(data: string): FaxServerEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const name = (value as { event?: unknown } | null)?.event;
  return typeof name === 'string' && Object.hasOwn(FAX_SERVER_EVENTS, name) ? (value as FaxServerEvent) : undefined;
}

export class EventConnection {
  readonly #http: HttpClient;
  readonly #mask: number;
  readonly #onEvent: (event: FaxServerEvent) => void;
  readonly #abort = new AbortController();

  constructor(http: HttpClient, mask: number, onEvent: (event: FaxServerEvent) => void) {
    this.#http = http;
    this.#mask = mask;
    this.#onEvent = onEvent;
  }

  /**
   * Opens the stream. Resolves once the server has accepted the subscription, so events caused after that arrive;
   * rejects (FaxApiError or FaxConnectionError) if the first attempt fails. Later drops reconnect on their own.
   */
  async open(): Promise<void> {
    const stream = await this.#connect();
    void this.#run(stream);
  }

  /** Ends the subscription for good; the stream and any reconnection timer stop keeping the process alive. */
  close(): void {
    this.#abort.abort();
  }

  get #closed(): boolean {
    return this.#abort.signal.aborted;
  }

  async #connect(lastEventId = ''): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== '') headers['last-event-id'] = lastEventId;
    const response = await this.#http.request(`${EVENTS_PATH}?mask=${this.#mask}`, {
      headers,
      signal: this.#abort.signal,
    });
    if (response.body === null) throw new TypeError('the event stream answered without a body');
    return response.body;
  }

  async #run(first: ReadableStream<Uint8Array>): Promise<void> {
    const parser = new SseParser();
    let stream: ReadableStream<Uint8Array> | undefined = first;
    let delay = FIRST_RETRY_MS;
    while (!this.#closed) {
      if (stream !== undefined) {
        await this.#read(stream, parser).catch(() => undefined);
        parser.end();
        stream = undefined;
        delay = parser.retryMs ?? FIRST_RETRY_MS;
      }
      await this.#sleep(delay);
      if (this.#closed) return;
      try {
        stream = await this.#connect(parser.lastEventId);
      } catch {
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      }
    }
  }

  async #read(stream: ReadableStream<Uint8Array>, parser: SseParser): Promise<void> {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.#closed) return;
        for (const message of parser.receive(value)) {
          const event = eventOf(message.data);
          if (event !== undefined) this.#onEvent(event);
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  /** Waits `ms`, or less if the connection is closed meanwhile. */
  #sleep(ms: number): Promise<void> {
    const signal = this.#abort.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}
