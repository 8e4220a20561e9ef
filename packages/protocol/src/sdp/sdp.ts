// SDP session descriptions (RFC 4566 §5): v/o/s/c/b/t/m/a lines, session and media level, decode and encode.
import { DecodeError } from '../bits/decode-error.js';

export interface SdpOrigin {
  readonly username: string;
  /** Kept as text: both numbers may exceed 2^53 (RFC 4566 §5.2 suggests NTP timestamps). */
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addrType: string;
  readonly address: string;
}

export interface SdpConnection {
  readonly netType: string;
  readonly addrType: string;
  /** The address, with any `/ttl/count` suffix of a multicast address left on. */
  readonly address: string;
}

export interface SdpAttribute {
  /** As the peer spelled it; compare case-insensitively with `findSdpAttribute`. */
  readonly name: string;
  /** Undefined for a property attribute (`a=sendrecv`), else the text after the first colon. */
  readonly value?: string;
}

/** Lines this module keeps without interpreting: i, u, e, p, r, z, k (RFC 4566 §5.4–5.12). */
export interface SdpLine {
  readonly type: string;
  readonly value: string;
}

export interface SdpMedia {
  /** audio, image, video, … */
  readonly type: string;
  /** 0 rejects or disables the stream (RFC 3264 §6, §8.2). */
  readonly port: number;
  readonly portCount?: number;
  /** RTP/AVP for audio, udptl for T.38 (RFC 4566 §5.14; T.38 Annex D registers `udptl`). */
  readonly protocol: string;
  /** Payload type numbers for RTP, `t38` for UDPTL. */
  readonly formats: readonly string[];
  readonly connection?: SdpConnection;
  readonly bandwidths: readonly SdpLine[];
  readonly attributes: readonly SdpAttribute[];
  readonly extra: readonly SdpLine[];
}

export interface SdpSession {
  readonly origin: SdpOrigin;
  readonly sessionName: string;
  readonly connection?: SdpConnection;
  readonly bandwidths: readonly SdpLine[];
  /** `t=` start and stop times as text; usually `0 0`. */
  readonly times: readonly { readonly start: string; readonly stop: string }[];
  readonly attributes: readonly SdpAttribute[];
  readonly media: readonly SdpMedia[];
  readonly extra: readonly SdpLine[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const LINE = /^([a-z])=(.*)$/;
const MEDIA = /^(\S+) ([0-9]{1,5})(?:\/([0-9]{1,5}))? (\S+)((?: \S+)+)$/;

/** The first attribute named `name` in any letter case (peers differ: `T38FaxVersion`, `t38faxversion`). */
export function findSdpAttribute(attributes: readonly SdpAttribute[], name: string): SdpAttribute | undefined {
  const lower = name.toLowerCase();
  return attributes.find((attribute) => attribute.name.toLowerCase() === lower);
}

type MutableMedia = { -readonly [K in keyof SdpMedia]: SdpMedia[K] } & {
  bandwidths: SdpLine[];
  attributes: SdpAttribute[];
  extra: SdpLine[];
};

/** Decodes an SDP body; anything else (bad line, missing v/o/s, bad m= or c=, not UTF-8) throws DecodeError. */
export function decodeSdp(bytes: Uint8Array): SdpSession {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DecodeError('SDP is not UTF-8', 0);
  }
  let origin: SdpOrigin | undefined;
  let sessionName: string | undefined;
  let connection: SdpConnection | undefined;
  const bandwidths: SdpLine[] = [];
  const times: { start: string; stop: string }[] = [];
  const attributes: SdpAttribute[] = [];
  const extra: SdpLine[] = [];
  const media: MutableMedia[] = [];
  let offset = 0;
  let first = true;
  // RFC 4566 §5: lines end in CRLF, but parsers should also accept a bare LF.
  for (const raw of text.split('\n')) {
    const lineOffset = offset;
    offset += raw.length + 1;
    const line = raw.replace(/[\r \t]+$/, '');
    if (line === '') continue;
    const match = LINE.exec(line);
    if (!match) throw new DecodeError('Bad SDP line', lineOffset);
    const [, type, value] = match;
    const bad = (what: string) => new DecodeError(`Bad SDP ${what}`, lineOffset);
    if (first) {
      if (type !== 'v' || value !== '0') throw bad('version (v=0 must come first)');
      first = false;
      continue;
    }
    const current = media[media.length - 1];
    switch (type) {
      case 'o':
        origin = decodeOrigin(value, bad);
        break;
      case 's':
        sessionName = value;
        break;
      case 'c':
        if (current) current.connection = decodeConnection(value, bad);
        else connection = decodeConnection(value, bad);
        break;
      case 'b':
        if (!/^[^:\s]+:[0-9]+$/.test(value)) throw bad('bandwidth');
        (current?.bandwidths ?? bandwidths).push({ type, value });
        break;
      case 't': {
        const t = /^([0-9]+) ([0-9]+)$/.exec(value);
        if (!t) throw bad('time');
        times.push({ start: t[1], stop: t[2] });
        break;
      }
      case 'm':
        media.push(decodeMediaLine(value, bad));
        break;
      case 'a':
        (current?.attributes ?? attributes).push(decodeAttribute(value, bad));
        break;
      case 'v':
        throw bad('version (v= repeated)');
      default:
        (current?.extra ?? extra).push({ type, value });
    }
  }
  if (first) throw new DecodeError('Empty SDP', 0);
  if (!origin) throw new DecodeError('SDP without o= line', 0);
  if (sessionName === undefined) throw new DecodeError('SDP without s= line', 0);
  return { origin, sessionName, ...(connection && { connection }), bandwidths, times, attributes, media, extra };
}

function decodeOrigin(value: string, bad: (what: string) => DecodeError): SdpOrigin {
  const fields = value.split(' ');
  if (fields.length !== 6 || fields.some((field) => field === '')) throw bad('origin');
  const [username, sessionId, sessionVersion, netType, addrType, address] = fields;
  if (!/^[0-9]+$/.test(sessionId) || !/^[0-9]+$/.test(sessionVersion)) throw bad('origin');
  return { username, sessionId, sessionVersion, netType, addrType, address };
}

function decodeConnection(value: string, bad: (what: string) => DecodeError): SdpConnection {
  const fields = value.split(' ');
  if (fields.length !== 3 || fields.some((field) => field === '')) throw bad('connection');
  return { netType: fields[0], addrType: fields[1], address: fields[2] };
}

function decodeMediaLine(value: string, bad: (what: string) => DecodeError): MutableMedia {
  const m = MEDIA.exec(value);
  if (!m) throw bad('media line');
  const port = Number(m[2]);
  if (port > 65535) throw bad('media port');
  return {
    type: m[1],
    port,
    ...(m[3] !== undefined && { portCount: Number(m[3]) }),
    protocol: m[4],
    formats: m[5].trim().split(' '),
    bandwidths: [],
    attributes: [],
    extra: [],
  };
}

function decodeAttribute(value: string, bad: (what: string) => DecodeError): SdpAttribute {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  // RFC 4566 §9 att-field is a token; some stacks put a space before the colon, which is trimmed.
  if (!/^[A-Za-z0-9\-.!%*_+`'~]+$/.test(name.trimEnd())) throw bad('attribute');
  return colon < 0 ? { name } : { name: name.trimEnd(), value: value.slice(colon + 1) };
}

const encoder = new TextEncoder();

/** Encodes with CRLF line ends in RFC 4566 §5 order: v o s [i u e p] c b t [r z k …] a, then each m section. */
export function encodeSdp(session: SdpSession): Uint8Array {
  const lines: string[] = ['v=0'];
  const o = session.origin;
  lines.push(`o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addrType} ${o.address}`);
  lines.push(`s=${session.sessionName === '' ? '-' : session.sessionName}`);
  pushExtra(lines, session.extra, 'iuep', true);
  if (session.connection) lines.push(connectionLine(session.connection));
  for (const b of session.bandwidths) lines.push(`b=${b.value}`);
  for (const t of session.times.length > 0 ? session.times : [{ start: '0', stop: '0' }]) {
    lines.push(`t=${t.start} ${t.stop}`);
  }
  pushExtra(lines, session.extra, 'iuep', false);
  for (const a of session.attributes) lines.push(attributeLine(a));
  for (const m of session.media) {
    const port = m.portCount !== undefined ? `${m.port}/${m.portCount}` : `${m.port}`;
    lines.push(`m=${m.type} ${port} ${m.protocol} ${m.formats.join(' ')}`);
    pushExtra(lines, m.extra, 'i', true);
    if (m.connection) lines.push(connectionLine(m.connection));
    for (const b of m.bandwidths) lines.push(`b=${b.value}`);
    pushExtra(lines, m.extra, 'i', false);
    for (const a of m.attributes) lines.push(attributeLine(a));
  }
  for (const line of lines) if (/[\r\n]/.test(line)) throw new RangeError('SDP field contains CR or LF');
  return encoder.encode(`${lines.join('\r\n')}\r\n`);
}

/** Writes the kept lines whose type is (or, with `among` false, is not) one of `types`. */
function pushExtra(lines: string[], extra: readonly SdpLine[], types: string, among: boolean): void {
  for (const line of extra) if (types.includes(line.type) === among) lines.push(`${line.type}=${line.value}`);
}

function connectionLine(c: SdpConnection): string {
  return `c=${c.netType} ${c.addrType} ${c.address}`;
}

function attributeLine(a: SdpAttribute): string {
  return a.value === undefined ? `a=${a.name}` : `a=${a.name}:${a.value}`;
}
