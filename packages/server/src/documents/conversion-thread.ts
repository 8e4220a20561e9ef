// Documents converted to a fax on a thread of their own: drawing a long PDF and coding its pages takes a second or
// more of CPU, which on the server's thread would stall every call in progress (T.38 timers, paced UDPTL).
import { Worker } from 'node:worker_threads';
import { DocumentError } from '../render/document-error.js';
import type { ConversionFailure, ConversionReply, ConversionRequest } from './conversion-worker.js';
import { DocumentFailure, type FaxConversion, type FaxConversionOptions } from './fax-conversion.js';

interface Pending {
  resolve(conversion: FaxConversion): void;
  reject(error: Error): void;
}

/** The error the conversion thread reported, with the class the caller tests for. */
function errorOf(failure: ConversionFailure): Error {
  const { message } = failure;
  const cause =
    failure.kind === 'DocumentError'
      ? new DocumentError(failure.reason, message)
      : failure.kind === 'RangeError'
        ? new RangeError(message)
        : new Error(message);
  if (failure.stack) cause.stack = failure.stack;
  return failure.index === undefined ? cause : new DocumentFailure(failure.index, cause);
}

/**
 * One worker thread, started on the first conversion and kept for the next ones, whose PDFium, fonts and compiled
 * code are then warm (a fresh thread takes a third of a second longer on a two-page PDF). It does not keep the process
 * alive while idle. A thread that dies fails the conversions it had; the next conversion starts a new one.
 */
export class ConversionThread {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  /** Converts `documents` (copied to the thread) like convertToFax, rejecting with the same error classes. */
  convert(documents: readonly Uint8Array[], options: FaxConversionOptions): Promise<FaxConversion> {
    const worker = this.#started();
    const id = this.#nextId++;
    worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, documents, options } satisfies ConversionRequest);
    });
  }

  /** Ends the thread; conversions still under way fail. */
  async close(): Promise<void> {
    await this.#worker?.terminate();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./conversion-worker.js', import.meta.url));
    let crash: Error | undefined;
    worker.on('message', (reply: ConversionReply) => this.#settle(worker, reply));
    worker.on('error', (error) => {
      crash = error;
    });
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#worker = undefined;
      const error = crash ?? new Error(`the document conversion thread ended (exit code ${code})`);
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
    this.#worker = worker;
    return worker;
  }

  #settle(worker: Worker, reply: ConversionReply): void {
    const pending = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) worker.unref();
    if ('failure' in reply) pending?.reject(errorOf(reply.failure));
    else pending?.resolve(reply.conversion);
  }
}
