// Documents converted to a fax on a thread of their own: drawing a long PDF and coding its pages takes a second or
// more of CPU, which on the server's thread would stall every call in progress (T.38 timers, paced UDPTL). The thread
// takes one conversion at a time from a bounded queue, so a burst of submissions waits its turn instead of
// multiplying the memory every conversion holds, and past the queue's bound is told to come back later.
import { Worker } from 'node:worker_threads';
import { DocumentError } from '../render/document-error.js';
import { DEFAULT_DOCUMENT_LIMITS } from '../render/document-limits.js';
import { type Clock, systemClock } from '../service/clock.js';
import type { ConversionFailure, ConversionReply, ConversionRequest } from './conversion-worker.js';
import { DocumentFailure, type FaxConversion, type FaxConversionOptions } from './fax-conversion.js';

export interface ConversionQueueOptions {
  /** Conversions that may wait for the thread behind the one it is doing; one more is refused. */
  readonly waiting: number;
  /** Document bytes the waiting conversions may hold together; a conversion that would pass it is refused. */
  readonly waitingBytes: number;
  /** The clock the watchdog on a conversion's time runs on. */
  readonly clock: Clock;
}

/**
 * 64 waiting conversions of small documents are a few seconds of work for one thread, which a client may as well wait
 * for; the documents held meanwhile are bounded by their bytes, so a few large ones fill the queue as many small ones do.
 */
const DEFAULT_QUEUE: ConversionQueueOptions = { waiting: 64, waitingBytes: 64 * 1024 * 1024, clock: systemClock };

/**
 * The thread checks a conversion's time limit between pages; a page that never finishes (a decoder caught in a loop)
 * is caught by a watchdog this much later, which ends the thread.
 */
const WATCHDOG_GRACE_MS = 10_000;

/** A conversion refused because the queue is full; `retryAfterSeconds` is when it is worth trying again. */
export class ConversionQueueFull extends Error {
  override readonly name = 'ConversionQueueFull';
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(`the document conversion queue is full; try again in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface Queued {
  readonly documents: readonly Uint8Array[];
  readonly bytes: number;
  readonly options: FaxConversionOptions;
  resolve(conversion: FaxConversion): void;
  reject(error: Error): void;
}

/** The error the conversion thread reported, with the class the caller tests for. */
function errorOf(failure: ConversionFailure): Error {
  const { message } = failure;
  const cause =
    failure.kind === 'DocumentError'
      ? new DocumentError(failure.reason, message, failure.limit)
      : failure.kind === 'RangeError'
        ? new RangeError(message)
        : new Error(message);
  if (failure.stack) cause.stack = failure.stack;
  return failure.index === undefined ? cause : new DocumentFailure(failure.index, cause);
}

/**
 * One worker thread, started on the first conversion and kept for the next ones, whose PDFium, fonts and compiled
 * code are then warm (a fresh thread takes a third of a second longer on a two-page PDF). It does not keep the process
 * alive while idle. A thread that dies fails the conversion it had; the next conversion starts a new one.
 */
export class ConversionThread {
  readonly #queue: ConversionQueueOptions;
  #worker: Worker | undefined;
  #nextId = 1;
  /** The conversion the thread is doing, with its id and the watchdog's cancel. */
  #current:
    | { readonly id: number; readonly item: Queued; readonly startMs: number; readonly cancelWatchdog: () => void }
    | undefined;
  readonly #waiting: Queued[] = [];
  #waitingBytes = 0;
  /** Recent conversions' time, averaged: what Retry-After is worked out from. */
  #averageMs = 1000;
  /** Why the thread is being ended, when it is this object that ends it. */
  #ending: Error | undefined;

  constructor(queue: Partial<ConversionQueueOptions> = {}) {
    this.#queue = { ...DEFAULT_QUEUE, ...queue };
  }

  /**
   * Converts `documents` (copied to the thread) like convertToFax, rejecting with the same error classes, after the
   * conversions before it; a ConversionQueueFull when too many are waiting already.
   */
  convert(documents: readonly Uint8Array[], options: FaxConversionOptions): Promise<FaxConversion> {
    const bytes = documents.reduce((sum, document) => sum + document.length, 0);
    // An empty queue takes any conversion, however large: the limits on documents are the ones for its size.
    const full =
      this.#waiting.length >= this.#queue.waiting ||
      (this.#waiting.length > 0 && this.#waitingBytes + bytes > this.#queue.waitingBytes);
    if (full) return Promise.reject(new ConversionQueueFull(this.#retryAfterSeconds()));
    return new Promise((resolve, reject) => {
      this.#waiting.push({ documents, bytes, options, resolve, reject });
      this.#waitingBytes += bytes;
      this.#startNext();
    });
  }

  /** Ends the thread; the conversion under way and those waiting fail. */
  async close(): Promise<void> {
    const closed = new Error('the document conversion thread ended: it was closed');
    for (const item of this.#waiting.splice(0)) item.reject(closed);
    this.#waitingBytes = 0;
    await this.#worker?.terminate();
  }

  /** When the queue will have room again: half of it done, at the recent pace, and at least a second. */
  #retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.#waiting.length / 2 + 1) * this.#averageMs) / 1000));
  }

  #startNext(): void {
    if (this.#current) return;
    const item = this.#waiting.shift();
    if (!item) {
      this.#worker?.unref();
      return;
    }
    this.#waitingBytes -= item.bytes;
    const worker = this.#started();
    const id = this.#nextId++;
    const limit = (item.options.limits ?? DEFAULT_DOCUMENT_LIMITS).conversionSeconds;
    const clock = this.#queue.clock;
    const cancelWatchdog = clock.wakeAt(clock.now() + limit * 1000 + WATCHDOG_GRACE_MS, () => {
      this.#ending = new DocumentError(
        'too-large',
        `the conversion did not end within the limit of ${limit} seconds of conversion`,
        'conversionSeconds',
      );
      void worker.terminate();
    });
    this.#current = { id, item, startMs: clock.now(), cancelWatchdog };
    worker.ref();
    worker.postMessage({ id, documents: item.documents, options: item.options } satisfies ConversionRequest);
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./conversion-worker.js', import.meta.url));
    let crash: Error | undefined;
    worker.on('message', (reply: ConversionReply) => this.#settle(reply));
    worker.on('error', (error) => {
      crash = error;
    });
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#worker = undefined;
      const error = this.#ending ?? crash ?? new Error(`the document conversion thread ended (exit code ${code})`);
      this.#ending = undefined;
      const current = this.#current;
      this.#current = undefined;
      current?.cancelWatchdog();
      current?.item.reject(error);
      this.#startNext();
    });
    this.#worker = worker;
    return worker;
  }

  #settle(reply: ConversionReply): void {
    const current = this.#current;
    if (current?.id !== reply.id) return;
    this.#current = undefined;
    current.cancelWatchdog();
    this.#averageMs = 0.8 * this.#averageMs + 0.2 * (this.#queue.clock.now() - current.startMs);
    if ('failure' in reply) current.item.reject(errorOf(reply.failure));
    else current.item.resolve(reply.conversion);
    this.#startNext();
  }
}
