// The faxd configuration file (DESIGN.md §3): JSON with the embedded defaults filled in, every key checked, and an
// unknown key or a bad value refused with a message naming it.

import { hostname } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DOCUMENT_LIMITS, type DocumentLimits } from '../render/document-limits.js';
import { ConfigError, ConfigReader } from './config-reader.js';
import { type CoverPagesConfig, readCoverPages } from './cover-pages-config.js';
import { checkedEndpoint, parseListen } from './endpoint-config.js';
import { type LogConfig, readLog } from './log-config.js';
import {
  type EmailRoutingConfig,
  type MailGatewayConfig,
  readEmailRouting,
  readMailGateway,
  readSmtp,
  type SmtpConfig,
} from './mail-config.js';
import { readSip, type SipLineConfig } from './sip-line-config.js';

export type { EmailRoutingConfig, MailGatewayConfig, SipLineConfig, SmtpConfig };
export { ConfigError };

export type LineKind = 'loopback' | 't38' | 'sip' | 'sandbox';

export interface WebhookConfig {
  readonly url: string;
  /** HMAC-SHA256 key for the X-Faxd-Signature header. */
  readonly secret: string;
}

/** PEM files of the server's certificate (with its chain) and private key, read at start and again on SIGHUP. */
export interface TlsConfig {
  readonly cert: string;
  readonly key: string;
}

export interface LineConfig {
  readonly id: number;
  readonly name: string;
  readonly kind: LineKind;
  /** UDP endpoint of a t38 line (loopback lines pick their own). */
  readonly bind: string | null;
  readonly peer: string | null;
  /** The id of a sandbox line's partner: the line on this node its calls reach, and whose calls it answers. */
  readonly peerLine: number | null;
  readonly sip: SipLineConfig | null;
  /** The UDP ports a sip line's calls take their UDPTL sockets from, one per call. */
  readonly mediaPorts: { readonly first: number; readonly last: number } | null;
  readonly tsid: string;
  readonly csid: string;
  readonly send: boolean;
  readonly receive: boolean;
  readonly rings: number;
  readonly priority: number;
  readonly ecm: boolean;
  /** A folder every received fax is also copied to (the "store in a folder" routing method). */
  readonly storeFolder: string | null;
  /** The user who owns the faxes this line receives (`routing.user`), seeing them as their own; null: nobody's. */
  readonly routingUser: string | null;
  readonly webhook: WebhookConfig | null;
  /** Every received fax mailed to these addresses (needs the server-wide `smtp`). */
  readonly email: EmailRoutingConfig | null;
}

export interface OutboundQueueConfig {
  readonly retries: number;
  readonly retryDelaySeconds: number;
  /** Days after submission a job stops being tried; 0 means no limit. */
  readonly ageLimitDays: number;
  /** The discount-rate window, local "HH:MM" start and end (the end may be past midnight). */
  readonly discountStart: string;
  readonly discountEnd: string;
  /** The line printed at the top of every sent page; {tsid} {date} {time} {page} {pages} {recipient} {sender}. */
  readonly headerTemplate: string;
}

/** How much of the event log is kept for Server-Sent Events replay (Last-Event-ID); the rest is pruned. */
export interface EventLogConfig {
  /** Events older than this many days are pruned; 0: no age bound. */
  readonly keepDays: number;
  /** At most this many of the newest events are kept. */
  readonly keepCount: number;
}

/** The document limits, and how many recipients one submission may list (a broadcast). */
export interface SubmissionLimits extends DocumentLimits {
  readonly recipientsPerSubmission: number;
}

/** What one API caller may send (issue 13 item 5): past these a request is refused with 413 or 429. */
export interface HttpLimits {
  /** Bytes of one request body (a submission carries its documents base64-encoded in JSON). */
  readonly requestBytes: number;
  /** Requests one key may make a second, on average (a token bucket); 0: no rate limit. */
  readonly requestsPerSecond: number;
  /** Requests one key may make at once before the rate applies (the bucket's size). */
  readonly requestBurst: number;
}

export interface StorageConfig {
  /** Submissions are refused (507) while less than this is free under the data directory. */
  readonly minFreeMegabytes: number;
}

/**
 * Where jobs, archives' rows, events and users are kept: a SQLite file (one node; the default, under the data
 * directory) or a PostgreSQL database (`postgres://…`), which several nodes can share. Documents and received faxes
 * stay files under `dataDir` either way: nodes sharing a database mount one data directory.
 */
export type StoreConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

/**
 * This node among the faxd nodes sharing one PostgreSQL store (one node alone on SQLite): a node that has not renewed
 * its lease for `leaseSeconds` counts as gone, and the others take over its calls; it renews every `heartbeatSeconds`.
 */
export interface ClusterConfig {
  readonly leaseSeconds: number;
  readonly heartbeatSeconds: number;
}

export interface FaxdConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  readonly store: StoreConfig;
  /** This node's name in the cluster (default: the host name); a node restarted under the same name resumes its lines. */
  readonly nodeId: string;
  readonly cluster: ClusterConfig;
  /** When set, every API request must carry `Authorization: Bearer TOKEN`. */
  readonly token: string | null;
  /** When set, the API is served over HTTPS (HTTP/1.1 and HTTP/2), and SIP lines may use TLS. */
  readonly tls: TlsConfig | null;
  readonly outboundQueue: OutboundQueueConfig;
  /** Days received and sent faxes stay in the archives; 0 keeps them for ever. */
  readonly archiveRetentionDays: number;
  /** What one submission may ask: of the converter, and in recipients; past any of these it is refused with 413. */
  readonly limits: SubmissionLimits & HttpLimits;
  readonly events: EventLogConfig;
  readonly storage: StorageConfig;
  /** The SMTP relay received faxes and delivery reports are mailed through; null: faxd sends no mail. */
  readonly smtp: SmtpConfig | null;
  /** The SMTP listener that turns mail to NUMBER@domain into fax jobs; null: none. */
  readonly mailGateway: MailGatewayConfig | null;
  /** Cover page templates and the sender's defaults for them. */
  readonly coverPages: CoverPagesConfig;
  readonly lines: readonly LineConfig[];
  /** What faxd logs to stdout (JSON lines). */
  readonly log: LogConfig;
}

const DEFAULT_LINES = [
  { id: 1, name: 'Loopback 1', kind: 'loopback', tsid: 'faxd line 1', csid: 'faxd line 1' },
  { id: 2, name: 'Loopback 2', kind: 'loopback', tsid: 'faxd line 2', csid: 'faxd line 2' },
];

const DEFAULT_HEADER = '{date} {time}   FROM: {tsid}   TO: {recipient}   PAGE {page}/{pages}';

/** The configuration `text` (a JSON document) describes, defaults filled in; throws ConfigError naming the key. */
export function parseFaxdConfig(value: unknown): FaxdConfig {
  const root = new ConfigReader(value ?? {}, '');
  const queue = root.object('outboundQueue');
  const events = root.object('events');
  const storage = root.object('storage');
  const cluster = root.object('cluster');
  const lines = root.array('lines', DEFAULT_LINES).map(readLine);
  const dataDir = root.string('dataDir', './var');
  const config: FaxdConfig = {
    listen: parseListen(root.string('listen', '127.0.0.1:8080'), 'listen'),
    dataDir,
    store: readStore(root.object('store'), dataDir),
    nodeId: root.string('nodeId', hostname() || 'node-1'),
    cluster: readCluster(cluster),
    token: root.optionalString('token'),
    tls: root.has('tls') ? readTls(root.object('tls')) : null,
    outboundQueue: {
      retries: queue.integer('retries', 3, 0, 100),
      retryDelaySeconds: queue.integer('retryDelaySeconds', 300, 0, 86400 * 7),
      ageLimitDays: queue.integer('ageLimitDays', 0, 0, 3650),
      discountStart: queue.clockTime('discountStart', '20:00'),
      discountEnd: queue.clockTime('discountEnd', '07:00'),
      headerTemplate: queue.string('headerTemplate', DEFAULT_HEADER),
    },
    archiveRetentionDays: root.integer('archiveRetentionDays', 0, 0, 36500),
    limits: readLimits(root.object('limits')),
    // A week of events, and at most 100,000 (some 16,000 jobs): a client that was away longer gets what is left.
    events: {
      keepDays: events.integer('keepDays', 7, 0, 3650),
      keepCount: events.integer('keepCount', 100_000, 1, 1e9),
    },
    // Room for a few hundred received pages and the database to finish what it started once submissions stop.
    storage: { minFreeMegabytes: storage.integer('minFreeMegabytes', 100, 0, 1e9) },
    smtp: root.has('smtp') ? readSmtp(root.object('smtp')) : null,
    mailGateway: root.has('mailGateway') ? readMailGateway(root.object('mailGateway'), parseListen) : null,
    coverPages: readCoverPages(root.object('coverPages')),
    lines,
    log: readLog(root.object('log')),
  };
  queue.finish();
  events.finish();
  storage.finish();
  root.finish();
  checkLines(config.lines);
  const mailed = config.lines.findIndex((line) => line.email);
  if (mailed >= 0 && !config.smtp) {
    throw new ConfigError(`lines[${mailed}].routing.email`, 'needs the server-wide "smtp" settings to send through');
  }
  const sipsLine = config.lines.findIndex((line) => line.sip?.transport === 'tls');
  if (sipsLine >= 0 && config.tls === null) {
    throw new ConfigError(`lines[${sipsLine}].sip.transport`, '"tls" needs the certificate of the top-level tls key');
  }
  if (config.mailGateway?.requireTls && config.tls === null) {
    throw new ConfigError('mailGateway.requireTls', 'needs the certificate of the top-level tls key for STARTTLS');
  }
  return config;
}

/**
 * Thirty seconds of silence before a node's calls are taken over, renewed every five: a stall, not a hiccup. A node
 * stops its own calls a fifth of the lease before it could lapse (service/lease-deadline.ts), so heartbeats of at most
 * a third of the lease let a renewal come more than a heartbeat late before it does; three seconds is the shortest
 * lease whole-second heartbeats allow.
 */
function readCluster(reader: ConfigReader): ClusterConfig {
  const leaseSeconds = reader.integer('leaseSeconds', 30, 3, 3600);
  const heartbeatSeconds = reader.integer('heartbeatSeconds', Math.max(1, Math.floor(leaseSeconds / 6)), 1, 3600);
  if (heartbeatSeconds * 3 > leaseSeconds) {
    reader.fail(
      'heartbeatSeconds',
      `must be at most a third of leaseSeconds (${leaseSeconds}): a node whose renewal is late stops its calls ` +
        'before its lease lapses, and would at every hiccup',
    );
  }
  reader.finish();
  return { leaseSeconds, heartbeatSeconds };
}

function readTls(reader: ConfigReader): TlsConfig {
  const tls = { cert: reader.string('cert', undefined), key: reader.string('key', undefined) };
  reader.finish();
  return tls;
}

/** A broadcast to more than this is better split: its jobs take one request, one transaction, one list to check. */
const DEFAULT_RECIPIENTS_PER_SUBMISSION = 1000;

/**
 * Room for a few tens of megabytes of PDF, base64-encoded; 100 requests a second is far past what a person or a
 * polling script needs and far below what would starve other callers, with a burst for a page of the console.
 */
const DEFAULT_HTTP_LIMITS: HttpLimits = { requestBytes: 96 * 1024 * 1024, requestsPerSecond: 100, requestBurst: 400 };

/** `store`: absent or `{"kind": "sqlite"}` is `<dataDir>/faxd.sqlite` (`url`: another file); postgres needs its `url`. */
function readStore(reader: ConfigReader, dataDir: string): StoreConfig {
  const kind = reader.has('kind') ? reader.choice('kind', ['sqlite', 'postgres'] as const) : 'sqlite';
  let store: StoreConfig;
  if (kind === 'sqlite') {
    store = { kind, file: reader.string('url', join(dataDir, 'faxd.sqlite')) };
  } else {
    const url = reader.string('url', undefined);
    if (!URL.canParse(url) || !/^postgres(ql)?:$/.test(new URL(url).protocol)) {
      reader.fail('url', `expected a PostgreSQL URL such as "postgres://faxd@db.example/faxd", got "${url}"`);
    }
    store = { kind, url };
  }
  reader.finish();
  return store;
}

function readLimits(reader: ConfigReader): SubmissionLimits & HttpLimits {
  const defaults = DEFAULT_DOCUMENT_LIMITS;
  const http = DEFAULT_HTTP_LIMITS;
  const limits: SubmissionLimits & HttpLimits = {
    pagesPerJob: reader.integer('pagesPerJob', defaults.pagesPerJob, 1, 100_000),
    pixelsPerPage: reader.integer('pixelsPerPage', defaults.pixelsPerPage, 1, 2 ** 31),
    bytesPerPage: reader.integer('bytesPerPage', defaults.bytesPerPage, 1, 2 ** 31),
    bytesPerDocument: reader.integer('bytesPerDocument', defaults.bytesPerDocument, 1, 2 ** 40),
    conversionSeconds: reader.integer('conversionSeconds', defaults.conversionSeconds, 1, 86400),
    recipientsPerSubmission: reader.integer('recipientsPerSubmission', DEFAULT_RECIPIENTS_PER_SUBMISSION, 1, 100_000),
    requestBytes: reader.integer('requestBytes', http.requestBytes, 1024, 2 ** 31),
    requestsPerSecond: reader.integer('requestsPerSecond', http.requestsPerSecond, 0, 1_000_000),
    requestBurst: reader.integer('requestBurst', http.requestBurst, 1, 1_000_000),
  };
  reader.finish();
  return limits;
}

function readLine(reader: ConfigReader): LineConfig {
  const kind = reader.choice('kind', ['loopback', 't38', 'sip', 'sandbox'] as const);
  const routing = reader.object('routing');
  const webhook = routing.has('webhook') ? routing.object('webhook') : undefined;
  const email = routing.has('email') ? readEmailRouting(routing.object('email')) : null;
  const line: LineConfig = {
    id: reader.integer('id', undefined, 1, 0x7fffffff),
    name: reader.string('name', ''),
    kind,
    bind: kind === 't38' ? checkedEndpoint(reader, 'bind') : null,
    peer: kind === 't38' ? checkedEndpoint(reader, 'peer') : null,
    peerLine: kind === 'sandbox' ? reader.integer('peer', undefined, 1, 0x7fffffff) : null,
    sip: kind === 'sip' ? readSip(reader.object('sip')) : null,
    mediaPorts: kind === 'sip' ? portRange(reader, 'mediaPorts') : null,
    tsid: reader.string('tsid', ''),
    csid: reader.string('csid', ''),
    send: reader.boolean('send', true),
    receive: reader.boolean('receive', true),
    rings: reader.integer('rings', 1, 0, 99),
    priority: reader.integer('priority', 1, 1, 1000),
    ecm: reader.boolean('ecm', true),
    storeFolder: routing.optionalString('folder'),
    routingUser: routing.optionalString('user'),
    webhook: webhook ? { url: webhook.url('url'), secret: webhook.string('secret', '') } : null,
    email,
  };
  webhook?.finish();
  routing.finish();
  reader.finish();
  return { ...line, name: line.name || `Line ${line.id}` };
}

function portRange(reader: ConfigReader, key: string): { first: number; last: number } {
  const text = reader.string(key, '40100-40199');
  const match = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(text);
  const [first, last] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || first < 1 || last > 65535 || first > last) {
    reader.fail(key, `expected a UDP port range such as "40100-40199", got "${text}"`);
  }
  return { first, last };
}

function checkLines(lines: readonly LineConfig[]): void {
  const ids = new Set<number>();
  lines.forEach((line, index) => {
    if (ids.has(line.id)) throw new ConfigError(`lines[${index}].id`, `device id ${line.id} is used twice`);
    ids.add(line.id);
  });
  const loopbacks = lines.filter((line) => line.kind === 'loopback').length;
  if (loopbacks % 2 !== 0) throw new ConfigError('lines', 'loopback lines come in pairs; there is an odd number');
  lines.forEach((line, index) => {
    if (line.peerLine !== null) checkSandboxPeer(lines, line, `lines[${index}].peer`);
  });
}

/** A sandbox line's peer is another sandbox line of this node that names it back: the two make one pair. */
function checkSandboxPeer(lines: readonly LineConfig[], line: LineConfig, key: string): void {
  const peer = lines.find((other) => other.id === line.peerLine);
  if (!peer) throw new ConfigError(key, `names line ${line.peerLine}, which is not configured`);
  if (peer === line) throw new ConfigError(key, `names line ${line.id} itself; a sandbox line pairs with another`);
  if (peer.kind !== 'sandbox') {
    throw new ConfigError(key, `names line ${peer.id}, which is a ${peer.kind} line, not a sandbox line`);
  }
  if (peer.peerLine !== line.id) {
    throw new ConfigError(key, `names line ${peer.id}, whose peer is line ${peer.peerLine}, not line ${line.id}`);
  }
}
