// Cuts SIP messages out of a TCP or TLS byte stream by their Content-Length (RFC 3261 §18.3, §7.5).
import { concatBytes } from '../../bits/concat-bytes.js';
import { SipDecodeError } from './sip-decode-error.js';
import { DEFAULT_MAX_CONTENT_LENGTH } from './sip-message.js';

export interface SipStreamFramerOptions {
  /** A header section longer than this without its empty line is refused (a peer streaming garbage). */
  readonly maxHeaderBytes?: number;
  readonly maxContentLength?: number;
}

const DEFAULT_MAX_HEADER_BYTES = 16_384;
const CONTENT_LENGTH_LINE = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*$/i;

/**
 * Feed it the bytes of one connection in any chunks; it returns each complete message's bytes for
 * `decodeSipMessage`. A framing error (no Content-Length, a bad or huge one, an endless header section) throws
 * `SipDecodeError`: the stream cannot be resynchronised, so the caller closes the connection.
 */
export class SipStreamFramer {
  private buffer = new Uint8Array(0);
  /** Where the search for the end of the header section resumes, so each byte is scanned once. */
  private scanFrom = 0;
  /** The length of the message at the front once its header section is complete. */
  private pendingTotal: number | undefined;
  private readonly maxHeaderBytes: number;
  private readonly maxContentLength: number;

  constructor(options: SipStreamFramerOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    this.maxContentLength = options.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH;
  }

  /** Bytes held for a message not yet complete. */
  get buffered(): number {
    return this.buffer.length;
  }

  receive(chunk: Uint8Array): Uint8Array[] {
    this.append(chunk);
    const messages: Uint8Array[] = [];
    for (;;) {
      if (this.pendingTotal === undefined) {
        this.skipLeadingLineEnds();
        const headerEnd = this.findHeaderEnd();
        if (headerEnd < 0) {
          if (this.buffer.length > this.maxHeaderBytes) {
            throw new SipDecodeError('Header section too long', this.buffer.length);
          }
          return messages;
        }
        this.pendingTotal = headerEnd + this.contentLength(headerEnd);
      }
      const total = this.pendingTotal;
      if (this.buffer.length < total) return messages;
      messages.push(this.buffer.slice(0, total));
      this.buffer = this.buffer.subarray(total);
      this.scanFrom = 0;
      this.pendingTotal = undefined;
    }
  }

  private append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.buffer = concatBytes([this.buffer, chunk]);
  }

  /** RFC 3261 §7.5: CRLFs between messages (and RFC 5626 keep-alives) are ignored. */
  private skipLeadingLineEnds(): void {
    let start = 0;
    while (this.buffer[start] === 0x0d && this.buffer[start + 1] === 0x0a) start += 2;
    if (start > 0) {
      this.buffer = this.buffer.subarray(start);
      this.scanFrom = 0;
    }
  }

  /** The offset just past CRLF CRLF, or -1. */
  private findHeaderEnd(): number {
    const bytes = this.buffer;
    for (let i = this.scanFrom; i + 3 < bytes.length; i++) {
      if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a && bytes[i + 2] === 0x0d && bytes[i + 3] === 0x0a) return i + 4;
    }
    this.scanFrom = Math.max(0, bytes.length - 3);
    return -1;
  }

  /** RFC 3261 §18.3: on a stream, Content-Length MUST be present; it alone says where the next message starts. */
  private contentLength(headerEnd: number): number {
    let text = '';
    for (let i = 0; i < headerEnd; i++) text += String.fromCharCode(this.buffer[i]);
    const values: string[] = [];
    for (const line of text.split('\r\n')) {
      const match = CONTENT_LENGTH_LINE.exec(line);
      if (match) values.push(match[1]);
    }
    if (values.length === 0) throw new SipDecodeError('Missing Content-Length on a stream transport', 0);
    if (values.length > 1) throw new SipDecodeError('Duplicate Content-Length header', 0);
    if (!/^[0-9]{1,10}$/.test(values[0])) throw new SipDecodeError('Bad Content-Length', 0);
    const length = Number(values[0]);
    if (length > this.maxContentLength) throw new SipDecodeError('Content-Length too large', 0);
    return length;
  }
}
