// SIP requests and responses as bytes (RFC 3261 §7, §18.3, §25): start line, header fields, Content-Length and body.

import { concatBytes } from '../../bits/concat-bytes.js';
import { SipDecodeError } from './sip-decode-error.js';
import { validateMessageFields } from './sip-fields.js';
import { checkHeaderForEncoding, decodeHeaderLines, headerValue } from './sip-headers.js';
import type { SipMessage } from './sip-message-types.js';
import { decodeDecimal, isToken } from './sip-syntax.js';

export interface SipDecodeOptions {
  /** Larger Content-Length values are refused rather than waited for or trusted. */
  readonly maxContentLength?: number;
}

/** A UDP datagram carries at most 65,507 octets, and fax signalling bodies (SDP) are a few hundred. */
export const DEFAULT_MAX_CONTENT_LENGTH = 65_535;

const CR = 0x0d;
const LF = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const REQUEST_LINE = /^([^ ]+) ([^ ]+) (SIP\/[0-9]+\.[0-9]+)$/i;
const STATUS_LINE = /^(SIP\/[0-9]+\.[0-9]+) ([0-9]{3})(?: (.*))?$/i;
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+\-.]*:[^\s]+$/;

/**
 * Decodes one message: a whole UDP datagram, or one message cut from a stream by `SipStreamFramer`. Throws
 * `SipDecodeError` (a `DecodeError`) on anything malformed, never another exception.
 */
export function decodeSipMessage(bytes: Uint8Array, options: SipDecodeOptions = {}): SipMessage {
  let start = 0;
  // RFC 3261 §7.5: CRLFs before the start line are ignored (stream keep-alives, sloppy senders).
  while (bytes[start] === CR && bytes[start + 1] === LF) start += 2;
  const { lines, offsets, bodyStart } = splitHeaderSection(bytes, start);
  const head = decodeStartLine(lines[0], offsets[0]);
  const headers = decodeHeaderLines(lines.slice(1), offsets.slice(1));
  const partial = { ...head, headers, body: bytes.subarray(bodyStart) } as SipMessage;
  const body = cutBody(bytes, bodyStart, partial, options.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH);
  const message = { ...partial, body };
  try {
    validateMessageFields(message);
  } catch (error) {
    if (error instanceof SipDecodeError) throw new SipDecodeError(error.reason, offsets[0], message);
    throw error;
  }
  return message;
}

/** Splits the header section into lines at CRLF, decoding each as UTF-8; returns where the body starts. */
function splitHeaderSection(
  bytes: Uint8Array,
  start: number,
): { lines: string[]; offsets: number[]; bodyStart: number } {
  if (start >= bytes.length) throw new SipDecodeError('Empty message', start);
  const lines: string[] = [];
  const offsets: number[] = [];
  let lineStart = start;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === CR && bytes[i + 1] === LF) {
      if (i === lineStart) return { lines, offsets, bodyStart: i + 2 };
      lines.push(decodeLine(bytes, lineStart, i));
      offsets.push(lineStart);
      lineStart = i + 2;
      i++;
    } else if (byte === CR || byte === LF) {
      // A bare CR or LF could hide a second header from one parser and show it to another (header injection).
      throw new SipDecodeError('Bare CR or LF in header section', i);
    } else if ((byte < 0x20 && byte !== 0x09) || byte === 0x7f) {
      throw new SipDecodeError('Control character in header section', i);
    }
  }
  throw new SipDecodeError('Truncated message: no empty line after the headers', bytes.length);
}

function decodeLine(bytes: Uint8Array, from: number, to: number): string {
  try {
    return utf8.decode(bytes.subarray(from, to));
  } catch {
    throw new SipDecodeError('Header section is not UTF-8', from);
  }
}

type StartLine =
  | { kind: 'request'; method: string; uri: string }
  | { kind: 'response'; status: number; reason: string };

function decodeStartLine(line: string, offset: number): StartLine {
  const status = STATUS_LINE.exec(line);
  if (status) {
    checkVersion(status[1], offset);
    const code = Number(status[2]);
    if (code < 100 || code > 699) throw new SipDecodeError('Bad status code', offset);
    return { kind: 'response', status: code, reason: status[3] ?? '' };
  }
  const request = REQUEST_LINE.exec(line);
  if (!request) throw new SipDecodeError('Bad start line', offset);
  checkVersion(request[3], offset);
  if (!isToken(request[1])) throw new SipDecodeError('Bad method', offset);
  if (!ABSOLUTE_URI.test(request[2])) throw new SipDecodeError('Bad Request-URI', offset);
  return { kind: 'request', method: request[1], uri: request[2] };
}

function checkVersion(version: string, offset: number): void {
  if (version.toUpperCase() !== 'SIP/2.0') throw new SipDecodeError('Unsupported SIP version', offset);
}

/**
 * RFC 3261 §18.3: the body is Content-Length octets; over UDP extra octets are discarded and, without the header, the
 * body runs to the end of the datagram. A body shorter than declared means a truncated message.
 */
function cutBody(bytes: Uint8Array, bodyStart: number, partial: SipMessage, maxContentLength: number): Uint8Array {
  const text = headerValue(partial.headers, 'Content-Length');
  if (text === undefined) return bytes.subarray(bodyStart);
  let length: number;
  try {
    length = decodeDecimal(text, 10, 'Content-Length');
  } catch {
    throw new SipDecodeError('Bad Content-Length', bodyStart, partial);
  }
  if (length > maxContentLength) throw new SipDecodeError('Content-Length too large', bodyStart, partial);
  if (bodyStart + length > bytes.length)
    throw new SipDecodeError('Body shorter than Content-Length', bodyStart, partial);
  return bytes.subarray(bodyStart, bodyStart + length);
}

const utf8Encoder = new TextEncoder();

/**
 * Encodes a message with CRLF line ends and a Content-Length equal to the body's size (any Content-Length header in
 * `headers` is replaced). Throws RangeError for header names or values that would break the framing.
 */
export function encodeSipMessage(message: SipMessage): Uint8Array {
  let text: string;
  if (message.kind === 'request') {
    if (!isToken(message.method) || !ABSOLUTE_URI.test(message.uri)) throw new RangeError('invalid SIP request line');
    text = `${message.method} ${message.uri} SIP/2.0\r\n`;
  } else {
    if (
      !Number.isInteger(message.status) ||
      message.status < 100 ||
      message.status > 699 ||
      /[\r\n]/.test(message.reason)
    ) {
      throw new RangeError('invalid SIP status line');
    }
    text = `SIP/2.0 ${message.status} ${message.reason}\r\n`;
  }
  for (const header of message.headers) {
    checkHeaderForEncoding(header);
    if (header.name.toLowerCase() === 'content-length' || header.name.toLowerCase() === 'l') continue;
    text += `${header.name}: ${header.value}\r\n`;
  }
  text += `Content-Length: ${message.body.length}\r\n\r\n`;
  return concatBytes([utf8Encoder.encode(text), message.body]);
}
