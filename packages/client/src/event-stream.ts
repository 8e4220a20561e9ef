// An incremental Server-Sent Events parser: the "event stream interpretation" of the WHATWG HTML standard (§9.2.6),
// fed byte chunks split anywhere and returning the messages each chunk completes.

/** One dispatched SSE message. */
export interface SseMessage {
  /** The `event:` field; `'message'` when the message named none. */
  readonly event: string;
  /** The `data:` lines joined with LF. */
  readonly data: string;
  /** The last event id seen on the stream so far (`''` if none). */
  readonly lastEventId: string;
}

const LF = 0x0a;
const CR = 0x0d;

export class SseParser {
  readonly #decoder = new TextDecoder('utf-8');
  /** The start of a line whose end has not arrived yet. */
  #partial = '';
  /** The previous chunk ended in CR: an LF opening the next chunk completes that CRLF, it is no empty line. */
  #afterCr = false;
  #eventType = '';
  #dataLines: string[] = [];
  #lastEventId = '';
  #retryMs: number | undefined;

  /** The last `id:` seen (`''` if none): what a reconnection sends as Last-Event-ID to resume where it stopped. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** The reconnection time the server last asked for with a `retry:` field, in milliseconds. */
  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  /** Takes the next bytes of the stream; returns the messages they complete, in order. */
  receive(chunk: Uint8Array): SseMessage[] {
    const messages: SseMessage[] = [];
    this.#feed(this.#decoder.decode(chunk, { stream: true }), messages);
    return messages;
  }

  /**
   * The stream ended. The standard discards a message not closed by an empty line, so nothing more is dispatched; the
   * parser is ready for a new stream (the last event id survives, as a reconnection would send it).
   */
  end(): void {
    this.#decoder.decode();
    this.#partial = '';
    this.#afterCr = false;
    this.#eventType = '';
    this.#dataLines = [];
  }

  #feed(text: string, messages: SseMessage[]): void {
    let start = 0;
    if (this.#afterCr && text.length > 0) {
      if (text.charCodeAt(0) === LF) start = 1;
      this.#afterCr = false;
    }
    const buffer = this.#partial + text.slice(start);
    let lineStart = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      this.#line(buffer.slice(lineStart, i), messages);
      if (c === CR) {
        if (i + 1 === buffer.length) this.#afterCr = true;
        else if (buffer.charCodeAt(i + 1) === LF) i++;
      }
      lineStart = i + 1;
    }
    this.#partial = buffer.slice(lineStart);
  }

  #line(line: string, messages: SseMessage[]): void {
    if (line === '') {
      this.#dispatch(messages);
      return;
    }
    if (line.startsWith(':')) return; // a comment, such as a keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#eventType = value;
        break;
      case 'data':
        this.#dataLines.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retryMs = Number(value);
        break;
    }
  }

  /** An empty line ends a message; one without any data line is dropped, as the standard says. */
  #dispatch(messages: SseMessage[]): void {
    if (this.#dataLines.length > 0) {
      messages.push({
        event: this.#eventType || 'message',
        data: this.#dataLines.join('\n'),
        lastEventId: this.#lastEventId,
      });
    }
    this.#eventType = '';
    this.#dataLines = [];
  }
}
