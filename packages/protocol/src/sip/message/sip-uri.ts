// SIP and SIPS URIs (RFC 3261 §19.1): `sip:user:password@host:port;uri-parameters?headers`.
import { SipDecodeError } from './sip-decode-error.js';
import { decodeDecimal, decodeParams, encodeParams, type SipParams } from './sip-syntax.js';

export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  /** The user part as written (still %-escaped); a telephone-subscriber may carry its own `;` parameters. */
  readonly user?: string;
  readonly password?: string;
  /** A host name, an IPv4 address, or an IPv6 reference with its brackets (`[2001:db8::1]`). */
  readonly host: string;
  readonly port?: number;
  /** transport, user, method, ttl, maddr, lr, … by lower-cased name. */
  readonly params: SipParams;
  /** The raw `?name=value&…` part without the `?`, if any (used in Contact/Refer-To, never in a Request-URI). */
  readonly headers?: string;
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9\-_.]*[A-Za-z0-9.])?$/;
const IPV6_REFERENCE = /^\[[0-9A-Fa-f:.]+\]$/;
const USER_INFO = /^[^\s@<>"]+$/;

/** Decodes a sip: or sips: URI; anything else (tel:, http:, bad host or port) throws SipDecodeError. */
export function decodeSipUri(text: string): SipUri {
  const colon = text.indexOf(':');
  const scheme = text.slice(0, colon).toLowerCase();
  if (colon < 0 || (scheme !== 'sip' && scheme !== 'sips')) throw new SipDecodeError('Not a SIP URI', 0);
  let rest = text.slice(colon + 1);
  let headers: string | undefined;
  const question = rest.indexOf('?');
  if (question >= 0) {
    headers = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  let user: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userInfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const passwordColon = userInfo.indexOf(':');
    user = passwordColon < 0 ? userInfo : userInfo.slice(0, passwordColon);
    if (passwordColon >= 0) password = userInfo.slice(passwordColon + 1);
    if (!USER_INFO.test(userInfo)) throw new SipDecodeError('Bad SIP URI user', 0);
  }
  const semicolon = rest.indexOf(';');
  const hostPort = semicolon < 0 ? rest : rest.slice(0, semicolon);
  const params = decodeParams(semicolon < 0 ? '' : rest.slice(semicolon), 'SIP URI');
  const { host, port } = decodeHostPort(hostPort, 'SIP URI host');
  return {
    scheme,
    ...(user !== undefined && { user }),
    ...(password !== undefined && { password }),
    host,
    ...(port !== undefined && { port }),
    params,
    ...(headers !== undefined && { headers }),
  };
}

export function encodeSipUri(uri: SipUri): string {
  let text = `${uri.scheme}:`;
  if (uri.user !== undefined) text += `${uri.user}${uri.password !== undefined ? `:${uri.password}` : ''}@`;
  text += uri.host;
  if (uri.port !== undefined) text += `:${uri.port}`;
  text += encodeParams(uri.params);
  if (uri.headers !== undefined) text += `?${uri.headers}`;
  return text;
}

/** RFC 3261 §25.1 hostport: a host name, IPv4 address or bracketed IPv6 reference, then an optional `:port`. */
export function decodeHostPort(text: string, what: string): { host: string; port?: number } {
  let host = text;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    host = text.slice(0, close + 1);
    const after = text.slice(close + 1);
    if (close < 0 || (after !== '' && !after.startsWith(':'))) throw new SipDecodeError(`Bad ${what}`, 0);
    if (after !== '') portText = after.slice(1);
  } else {
    const colon = text.indexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  if (!(HOST_NAME.test(host) || IPV6_REFERENCE.test(host))) throw new SipDecodeError(`Bad ${what}`, 0);
  if (portText === undefined) return { host };
  const port = decodeDecimal(portText, 5, `${what} port`);
  if (port > 65535) throw new SipDecodeError(`Bad ${what} port`, 0);
  return { host, port };
}
