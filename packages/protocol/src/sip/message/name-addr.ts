// From, To, Contact and Route values: name-addr or addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39).
import { SipDecodeError } from './sip-decode-error.js';
import { decodeParams, encodeParams, indexOutsideQuotes, quote, type SipParams, unquote } from './sip-syntax.js';

export interface NameAddr {
  /** The display name without quotes, if one was given. */
  readonly displayName?: string;
  /** The URI as written between `<` and `>` (sip:, sips:, tel:, …); see `decodeSipUri` for sip/sips. */
  readonly uri: string;
  /** Header parameters such as `tag` and `expires`, by lower-cased name. */
  readonly params: SipParams;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*:\S+$/;

export function decodeNameAddr(text: string, what = 'address'): NameAddr {
  const trimmed = text.trim();
  const open = indexOutsideQuotes(trimmed, '<');
  if (open < 0) {
    // RFC 3261 §20.10: without angle brackets, everything after the first `;` is a header parameter, not a URI one.
    const semicolon = trimmed.indexOf(';');
    const uri = semicolon < 0 ? trimmed : trimmed.slice(0, semicolon);
    if (!SCHEME.test(uri) || /[,?]/.test(uri)) throw new SipDecodeError(`Bad ${what}`, 0);
    return { uri, params: decodeParams(semicolon < 0 ? '' : trimmed.slice(semicolon), what) };
  }
  const close = trimmed.indexOf('>', open);
  if (close < 0) throw new SipDecodeError(`Bad ${what}`, 0);
  const uri = trimmed.slice(open + 1, close).trim();
  if (!SCHEME.test(uri)) throw new SipDecodeError(`Bad ${what} URI`, 0);
  const name = trimmed.slice(0, open).trim();
  const displayName = decodeDisplayName(name, what);
  const params = decodeParams(trimmed.slice(close + 1), what);
  return { ...(displayName !== undefined && { displayName }), uri, params };
}

/** A display name is a quoted string or a run of tokens separated by spaces (RFC 3261 §25.1 display-name). */
function decodeDisplayName(name: string, what: string): string | undefined {
  if (name === '') return undefined;
  if (name.startsWith('"')) {
    if (!isWholeQuotedString(name)) throw new SipDecodeError(`Bad ${what} display name`, 0);
    return unquote(name);
  }
  if (/[<>"]/.test(name)) throw new SipDecodeError(`Bad ${what} display name`, 0);
  return name;
}

/** True when `text` is exactly one quoted string: its first unescaped closing quote is its last character. */
function isWholeQuotedString(text: string): boolean {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i === text.length - 1;
  }
  return false;
}

/** Always writes the name-addr form, so URI parameters and header parameters cannot be confused. */
export function encodeNameAddr(value: NameAddr): string {
  const name = value.displayName !== undefined && value.displayName !== '' ? `${quote(value.displayName)} ` : '';
  return `${name}<${value.uri}>${encodeParams(value.params)}`;
}

/** The `tag` parameter of a From or To value (RFC 3261 §19.3), if any. */
export function tagOf(value: NameAddr): string | undefined {
  return value.params.get('tag') ?? undefined;
}
