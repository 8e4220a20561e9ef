// The `Scheme name=value, name="quoted, value"` syntax of challenges and credentials (RFC 3261 §25.1, RFC 7235 §2.1).
import { SipDecodeError } from '../message/sip-decode-error.js';
import { isToken, quote } from '../message/sip-syntax.js';

export interface AuthParams {
  readonly scheme: string;
  /** Parameter values by lower-cased name, quotes removed. */
  readonly params: Map<string, string>;
}

const TOKEN_CHAR = /[A-Za-z0-9\-.!%*_+`'~/=:@;?[\]]/;

export function decodeAuthParams(text: string, what: string): AuthParams {
  const bad = () => new SipDecodeError(`Bad ${what} header`, 0);
  const schemeMatch = /^\s*([A-Za-z0-9\-.!%*_+`'~]+)\s+/.exec(text);
  if (!schemeMatch) throw bad();
  const params = new Map<string, string>();
  let i = schemeMatch[0].length;
  const skipSpace = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  while (i < text.length) {
    skipSpace();
    const nameStart = i;
    while (i < text.length && /[A-Za-z0-9\-_.]/.test(text[i])) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    skipSpace();
    if (name === '' || text[i] !== '=') throw bad();
    i++;
    skipSpace();
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        value += text[i] ?? '';
        i++;
      }
      if (text[i] !== '"') throw bad();
      i++;
    } else {
      const valueStart = i;
      while (i < text.length && TOKEN_CHAR.test(text[i])) i++;
      value = text.slice(valueStart, i);
      if (value === '') throw bad();
    }
    if (params.has(name)) throw bad();
    params.set(name, value);
    skipSpace();
    if (i < text.length && text[i] !== ',') throw bad();
    i++;
  }
  return { scheme: schemeMatch[1], params };
}

/** Writes `Scheme a="x", b=y`: names in `quoted` always quoted (as RFC 7616 requires for those), others as given. */
export function encodeAuthParams(
  scheme: string,
  entries: readonly [string, string][],
  quoted: ReadonlySet<string>,
): string {
  const parts = entries.map(([name, value]) => {
    if (!quoted.has(name) && isToken(value)) return `${name}=${value}`;
    return `${name}=${quote(value)}`;
  });
  return `${scheme} ${parts.join(', ')}`;
}
