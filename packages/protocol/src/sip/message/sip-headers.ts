// SIP header fields (RFC 3261 §7.3, §20): case-insensitive names, compact forms, comma-separated lists, folded lines.
import { SipDecodeError } from './sip-decode-error.js';
import type { SipHeader } from './sip-message-types.js';
import { isToken, splitOutside } from './sip-syntax.js';

/** Compact forms (RFC 3261 §7.3.3 and the RFCs that added one: 3265 o/u, 3515 r, 3892 b, 4028 x, 3841 a/j/d). */
const COMPACT_FORMS: Readonly<Record<string, string>> = {
  a: 'Accept-Contact',
  b: 'Referred-By',
  c: 'Content-Type',
  d: 'Request-Disposition',
  e: 'Content-Encoding',
  f: 'From',
  i: 'Call-ID',
  j: 'Reject-Contact',
  k: 'Supported',
  l: 'Content-Length',
  m: 'Contact',
  o: 'Event',
  r: 'Refer-To',
  s: 'Subject',
  t: 'To',
  u: 'Allow-Events',
  v: 'Via',
  x: 'Session-Expires',
};

/** Names whose usual spelling is not plain Title-Case, so they are written the way peers expect. */
const SPELLINGS = ['Call-ID', 'CSeq', 'WWW-Authenticate', 'MIME-Version', 'RAck', 'RSeq', 'Min-SE', 'SIP-ETag'];
const SPELLING_BY_LOWER = new Map(SPELLINGS.map((name) => [name.toLowerCase(), name]));

/**
 * Headers whose grammar is a comma-separated list (RFC 3261 §20, `#` rules). Authorization and the challenge headers
 * are not split: their parameters contain commas.
 */
const LIST_HEADERS = new Set(
  [
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Allow-Events',
    'Call-Info',
    'Contact',
    'Content-Encoding',
    'Content-Language',
    'Error-Info',
    'In-Reply-To',
    'Path',
    'Proxy-Require',
    'Reason',
    'Record-Route',
    'Require',
    'Route',
    'Service-Route',
    'Supported',
    'Unsupported',
    'Via',
    'Warning',
  ].map((name) => name.toLowerCase()),
);

/** The full, conventionally spelled name for `name` (compact forms expanded, `call-id` → `Call-ID`). */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  const full = name.length === 1 ? COMPACT_FORMS[lower] : undefined;
  if (full !== undefined) return full;
  return (
    SPELLING_BY_LOWER.get(lower) ??
    lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())
  );
}

export function isListHeader(name: string): boolean {
  return LIST_HEADERS.has(canonicalHeaderName(name).toLowerCase());
}

/** Every value of header `name` in order (compact or full name, any case). */
export function headerValues(headers: readonly SipHeader[], name: string): string[] {
  const wanted = canonicalHeaderName(name);
  return headers.filter((header) => canonicalHeaderName(header.name) === wanted).map((header) => header.value);
}

/** The first value of header `name`, if present. */
export function headerValue(headers: readonly SipHeader[], name: string): string | undefined {
  const wanted = canonicalHeaderName(name);
  return headers.find((header) => canonicalHeaderName(header.name) === wanted)?.value;
}

/**
 * Decodes the header lines of a message (after the start line, before the empty line). Lines starting with white space
 * continue the previous one (RFC 3261 §7.3.1 folding); `offsets[i]` is the byte offset of line i, for error reports.
 */
export function decodeHeaderLines(lines: readonly string[], offsets: readonly number[]): SipHeader[] {
  const headers: SipHeader[] = [];
  let current: { name: string; value: string; offset: number } | undefined;
  const flush = () => {
    if (current === undefined) return;
    const { name, value, offset } = current;
    const values = isListHeader(name) ? splitList(value, name, offset) : [value];
    for (const item of values) headers.push({ name, value: item });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === undefined) throw new SipDecodeError('Folded line before any header', offsets[i]);
      current.value = `${current.value} ${line.trim()}`.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trimEnd();
    if (!isToken(name)) throw new SipDecodeError('Bad header line', offsets[i]);
    current = { name: canonicalHeaderName(name), value: line.slice(colon + 1).trim(), offset: offsets[i] };
  }
  flush();
  return headers;
}

function splitList(value: string, name: string, offset: number): string[] {
  try {
    const items = splitOutside(value, ',').map((item) => item.trim());
    // Empty elements are allowed by RFC 3261 §7.3.1's list rule only as whole-header emptiness (e.g. `Supported:`).
    if (items.length === 1 && items[0] === '') return [''];
    if (items.some((item) => item === '')) throw new SipDecodeError(`Bad ${name} header`, offset);
    return items;
  } catch (error) {
    if (error instanceof SipDecodeError && error.offset === offset) throw error;
    throw new SipDecodeError(`Bad ${name} header`, offset);
  }
}

/** Throws (a programmer error, not a decode error) if a header could smuggle extra lines into an encoded message. */
export function checkHeaderForEncoding(header: SipHeader): void {
  if (!isToken(header.name)) throw new RangeError(`invalid SIP header name ${JSON.stringify(header.name)}`);
  if (/[\r\n\0]/.test(header.value)) throw new RangeError(`SIP header ${header.name} contains CR, LF or NUL`);
}
