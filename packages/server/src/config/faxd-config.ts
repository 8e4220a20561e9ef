// The faxd configuration file (DESIGN.md §3): JSON with the embedded defaults filled in, every key checked, and an
// unknown key or a bad value refused with a message naming it.

import { ConfigError, ConfigReader } from './config-reader.js';

export { ConfigError };

export type LineKind = 'loopback' | 't38' | 'sip';

export interface WebhookConfig {
  readonly url: string;
  /** HMAC-SHA256 key for the X-Faxd-Signature header. */
  readonly secret: string;
}

export interface LineConfig {
  readonly id: number;
  readonly name: string;
  readonly kind: LineKind;
  /** UDP endpoint of a t38 line (loopback lines pick their own). */
  readonly bind: string | null;
  readonly peer: string | null;
  readonly tsid: string;
  readonly csid: string;
  readonly send: boolean;
  readonly receive: boolean;
  readonly rings: number;
  readonly priority: number;
  readonly ecm: boolean;
  /** A folder every received fax is also copied to (the "store in a folder" routing method). */
  readonly storeFolder: string | null;
  readonly webhook: WebhookConfig | null;
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

export interface FaxdConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  /** When set, every API request must carry `Authorization: Bearer TOKEN`. */
  readonly token: string | null;
  readonly outboundQueue: OutboundQueueConfig;
  /** Days received and sent faxes stay in the archives; 0 keeps them for ever. */
  readonly archiveRetentionDays: number;
  readonly lines: readonly LineConfig[];
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
  const lines = root.array('lines', DEFAULT_LINES).map(readLine);
  const config: FaxdConfig = {
    listen: parseListen(root.string('listen', '127.0.0.1:8080'), 'listen'),
    dataDir: root.string('dataDir', './var'),
    token: root.optionalString('token'),
    outboundQueue: {
      retries: queue.integer('retries', 3, 0, 100),
      retryDelaySeconds: queue.integer('retryDelaySeconds', 300, 0, 86400 * 7),
      ageLimitDays: queue.integer('ageLimitDays', 0, 0, 3650),
      discountStart: queue.clockTime('discountStart', '20:00'),
      discountEnd: queue.clockTime('discountEnd', '07:00'),
      headerTemplate: queue.string('headerTemplate', DEFAULT_HEADER),
    },
    archiveRetentionDays: root.integer('archiveRetentionDays', 0, 0, 36500),
    lines,
  };
  queue.finish();
  root.finish();
  checkLines(config.lines);
  return config;
}

function readLine(reader: ConfigReader): LineConfig {
  const kind = reader.choice('kind', ['loopback', 't38', 'sip'] as const);
  const routing = reader.object('routing');
  const webhook = routing.has('webhook') ? routing.object('webhook') : undefined;
  const line: LineConfig = {
    id: reader.integer('id', undefined, 1, 0x7fffffff),
    name: reader.string('name', ''),
    kind,
    bind: kind === 't38' ? checkedEndpoint(reader, 'bind') : null,
    peer: kind === 't38' ? checkedEndpoint(reader, 'peer') : null,
    tsid: reader.string('tsid', ''),
    csid: reader.string('csid', ''),
    send: reader.boolean('send', true),
    receive: reader.boolean('receive', true),
    rings: reader.integer('rings', 1, 0, 99),
    priority: reader.integer('priority', 1, 1, 1000),
    ecm: reader.boolean('ecm', true),
    storeFolder: routing.optionalString('folder'),
    webhook: webhook ? { url: webhook.url('url'), secret: webhook.string('secret', '') } : null,
  };
  webhook?.finish();
  routing.finish();
  // A sip line's own keys belong to the SIP lines work; until then such a line is refused rather than half-run.
  if (kind === 'sip') reader.fail('kind', 'sip lines are not supported by this build (use t38 or loopback)');
  reader.finish();
  return { ...line, name: line.name || `Line ${line.id}` };
}

function checkedEndpoint(reader: ConfigReader, key: string): string {
  const text = reader.string(key, undefined);
  parseListen(text, reader.pathOf(key));
  return text;
}

function parseListen(text: string, key: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new ConfigError(key, `"${text}" is not HOST:PORT`);
  return { host: match[1] ?? (match[2] as string), port };
}

function checkLines(lines: readonly LineConfig[]): void {
  const ids = new Set<number>();
  lines.forEach((line, index) => {
    if (ids.has(line.id)) throw new ConfigError(`lines[${index}].id`, `device id ${line.id} is used twice`);
    ids.add(line.id);
  });
  const loopbacks = lines.filter((line) => line.kind === 'loopback').length;
  if (loopbacks % 2 !== 0) throw new ConfigError('lines', 'loopback lines come in pairs; there is an odd number');
}
