// Lexical helpers shared by SIP header decoders: tokens, quoted strings and `;name=value` parameters (RFC 3261 §25.1).
import { SipDecodeError } from './sip-decode-error.js';

/** Parameters by lower-cased name (RFC 3261 §7.3.1: parameter names are case-insensitive); null for a bare flag. */
export type SipParams = Map<string, string | null>;

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
/** Unquoted parameter values are tokens, hosts, or IPv6 addresses such as `received=2001:db8::1` (RFC 3261 §20.42). */
const PLAIN_VALUE = /^[^\s;,"<>\\]*$/;

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** RFC 3261 §25.1 quoted-string without its quotes, with quoted-pairs (`\"`, `\\`) resolved. */
export function unquote(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

export function quote(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Splits `text` at each `separator` outside quoted strings and angle brackets (URIs in `<...>` may hold commas and
 * semicolons, RFC 3261 §20). Throws on an unterminated quote or bracket.
 */
export function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inQuote = false;
  let inBrackets = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '<' && !inBrackets) inBrackets = true;
    else if (c === '>' && inBrackets) inBrackets = false;
    else if (c === separator && !inBrackets) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (inQuote) throw new SipDecodeError('Unterminated quoted string', 0);
  if (inBrackets) throw new SipDecodeError('Unterminated angle bracket', 0);
  parts.push(text.slice(start));
  return parts;
}

/** The index of the first `char` outside quoted strings, or -1 (a display name may hold `<`). */
export function indexOutsideQuotes(text: string, char: string): number {
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === char) return i;
  }
  return -1;
}

/** Decodes `;a=1;b;c="x y"` (the text after the part that carries the parameters); `what` names the header. */
export function decodeParams(text: string, what: string): SipParams {
  const params: SipParams = new Map();
  const trimmed = text.trim();
  if (trimmed === '') return params;
  if (!trimmed.startsWith(';')) throw new SipDecodeError(`Bad ${what} parameters`, 0);
  for (const part of splitOutside(trimmed.slice(1), ';')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (!isToken(name)) throw new SipDecodeError(`Bad ${what} parameter name`, 0);
    const value = eq < 0 ? null : part.slice(eq + 1).trim();
    if (value === null) {
      params.set(name.toLowerCase(), null);
    } else if (value.startsWith('"')) {
      if (value.length < 2 || !value.endsWith('"')) throw new SipDecodeError(`Bad ${what} parameter value`, 0);
      params.set(name.toLowerCase(), unquote(value));
    } else if (!PLAIN_VALUE.test(value)) {
      throw new SipDecodeError(`Bad ${what} parameter value`, 0);
    } else params.set(name.toLowerCase(), value);
  }
  return params;
}

export function encodeParams(params: ReadonlyMap<string, string | null>): string {
  let text = '';
  for (const [name, value] of params) {
    if (value === null) text += `;${name}`;
    else text += `;${name}=${value !== '' && PLAIN_VALUE.test(value) ? value : quote(value)}`;
  }
  return text;
}

/** A decimal integer of at most `maxDigits` digits, nothing else (no sign, no spaces inside). */
export function decodeDecimal(text: string, maxDigits: number, what: string): number {
  if (!/^[0-9]+$/.test(text) || text.replace(/^0+(?=.)/, '').length > maxDigits) {
    throw new SipDecodeError(`Bad ${what}`, 0);
  }
  return Number(text);
}
