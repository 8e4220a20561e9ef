// Test support: a whole T.30 call between a sending and a receiving session through T30Loopback.

import type { DocumentSink, DocumentSource } from '../t30/document-port.js';
import type { Dis } from '../t30/frames/dis-dcs.js';
import type { T30Event } from '../t30/front-end.js';
import { T30Session, type T30SessionOptions } from '../t30/session.js';
import { g3Capabilities } from './t30-capabilities.js';
import { MemoryDocumentSink, MemoryDocumentSource, testPageData } from './t30-documents.js';
import { type LoopbackOptions, T30Loopback } from './t30-loopback.js';

export const SENDER_IDENT = '+1 555 0100';
export const RECEIVER_IDENT = '+1 555 0199';

export interface CallSetup<Source extends DocumentSource, Sink extends DocumentSink> {
  readonly pages?: readonly Uint8Array[];
  readonly source?: Source;
  readonly sender?: Partial<Dis>;
  readonly receiver?: Partial<Dis>;
  readonly senderOptions?: Partial<T30SessionOptions>;
  readonly receiverOptions?: Partial<T30SessionOptions>;
  readonly sink?: Sink;
  readonly link?: LoopbackOptions;
  /** The receiver calls and polls the sender (T.30 DTC) instead of the sender calling. */
  readonly polling?: boolean;
}

export interface Call<
  Source extends DocumentSource = MemoryDocumentSource,
  Sink extends DocumentSink = MemoryDocumentSink,
> {
  readonly loop: T30Loopback;
  readonly source: Source;
  readonly sink: Sink;
  readonly pages: readonly Uint8Array[];
  /** Loopback station A sends, B receives. */
  readonly sender: T30Loopback['a'];
  readonly receiver: T30Loopback['b'];
}

export function backToBack<
  Source extends DocumentSource = MemoryDocumentSource,
  Sink extends DocumentSink = MemoryDocumentSink,
>(setup: CallSetup<Source, Sink> = {}): Call<Source, Sink> {
  const pages = setup.pages ?? [testPageData(1, 3000)];
  const source = setup.source ?? (new MemoryDocumentSource(pages) as DocumentSource as Source);
  const sink = setup.sink ?? (new MemoryDocumentSink() as DocumentSink as Sink);
  const sending = new T30Session({
    role: setup.polling ? 'answering' : 'calling',
    direction: 'send',
    capabilities: g3Capabilities(setup.sender),
    ident: SENDER_IDENT,
    source,
    ...setup.senderOptions,
  });
  const receiving = new T30Session({
    role: setup.polling ? 'calling' : 'answering',
    direction: 'receive',
    capabilities: g3Capabilities(setup.receiver),
    ident: RECEIVER_IDENT,
    sink,
    ...setup.receiverOptions,
  });
  const loop = new T30Loopback(sending, receiving, setup.link);
  return { loop, source, sink, pages, sender: loop.a, receiver: loop.b };
}

export function eventsOf<T extends T30Event['type']>(
  events: readonly T30Event[],
  type: T,
): Extract<T30Event, { type: T }>[] {
  return events.filter((event): event is Extract<T30Event, { type: T }> => event.type === type);
}
