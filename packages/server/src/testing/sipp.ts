// Test support: sipp (Debian's sip-tester) playing one scenario of lines/testdata/sipp as the SIP peer, and faxd
// started with one sip line toward it; a bench that sets up and tears down what a suite of such tests shares.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '@faxd/protocol/testing/paths';
import { requireTool } from '@faxd/protocol/testing/system-tools';
import type { FaxLine, IncomingCall, LineCallResult } from '../lines/fax-line.js';
import { startTestFaxd, type TestFaxd, waitFor } from './faxd-fixture.js';
import { freeUdpPort } from './free-udp-port.js';
import { buildSpandspPeer } from './spandsp-peer.js';

const execFileAsync = promisify(execFile);

export interface SippOptions {
  /** A file of packages/server/src/lines/testdata/sipp. */
  readonly scenario: string;
  /** The port on 127.0.0.1 a calling scenario sends its first request to; none for one that waits for a request. */
  readonly target?: number;
  /** sipp's own UDP port: the one faxd's configuration names, else any free one. */
  readonly port?: number;
  /** [field0], [field1]… of the scenario, through an injection file. */
  readonly fields?: readonly (string | number)[];
  /** [name] values of the scenario, through -key. */
  readonly keys?: Readonly<Record<string, string | number>>;
  /** [service]: the user part a calling scenario dials. */
  readonly service?: string;
  /** `tcp`: sipp's single-socket TCP mode (`-t t1`); UDP otherwise. */
  readonly transport?: 'udp' | 'tcp';
  /** sipp gives up on its call after this long (default 40). */
  readonly timeoutSeconds?: number;
}

/** One SIP message sipp sent or received, from its message log. */
export interface SippMessage {
  readonly direction: 'sent' | 'received';
  /** The request line or the status line. */
  readonly startLine: string;
  /** The first value of header `name` (full form, any case), or '' when the message has none. */
  header(name: string): string;
  readonly body: string;
}

export interface SippRun {
  readonly stdout: string;
  readonly stderr: string;
  /** sipp's message log: every message of the call as sent or received (decodeSippLog splits it). */
  readonly messages: string;
}

export class SippBench {
  /** A directory for the suite's files, removed after it. */
  work = '';
  #sipp = '';
  #runs = 0;
  readonly #cleanups: (() => Promise<void>)[] = [];

  /**
   * Registers the suite's hooks: sipp found (and the SpanDSP peer built, with `spandsp`) before it, the work directory
   * and everything started through the bench gone after it.
   */
  static register(options: { spandsp?: boolean } = {}): SippBench {
    const bench = new SippBench();
    before(async () => {
      bench.#sipp = requireTool('sipp');
      if (options.spandsp) await buildSpandspPeer();
      bench.work = await mkdtemp(join(tmpdir(), 'faxd-sipp-'));
    });
    after(async () => {
      await Promise.all(bench.#cleanups.map((cleanup) => cleanup()));
      await rm(bench.work, { recursive: true, force: true });
    });
    return bench;
  }

  /** Runs `close` after the suite. */
  closeAfter(close: () => Promise<void>): void {
    this.#cleanups.push(close);
  }

  /** Runs one call of a scenario to its end; rejects, with the end of sipp's error log, when the scenario fails. */
  async run(options: SippOptions): Promise<SippRun> {
    const name = `${++this.#runs}-${options.scenario.replace(/\.xml$/, '')}`;
    const errors = join(this.work, `${name}.err`);
    const messages = join(this.work, `${name}.msg`);
    const args = [
      ...['-sf', join(repoRoot(), 'packages/server/src/lines/testdata/sipp', options.scenario)],
      ...['-i', '127.0.0.1', '-p', String(options.port ?? (await freeUdpPort())), '-m', '1'],
      ...['-timeout', `${options.timeoutSeconds ?? 40}s`, '-nostdin'],
      ...['-trace_err', '-error_file', errors, '-trace_msg', '-message_file', messages],
      ...Object.entries(options.keys ?? {}).flatMap(([key, value]) => ['-key', key, String(value)]),
      ...(options.service ? ['-s', options.service] : []),
      ...(options.transport === 'tcp' ? ['-t', 't1'] : []),
    ];
    if (options.fields) {
      const injection = join(this.work, `${name}.csv`);
      await writeFile(injection, `SEQUENTIAL\n${options.fields.join(';')};\n`);
      args.push('-inf', injection);
    }
    if (options.target !== undefined) args.push(`127.0.0.1:${options.target}`);
    const timeout = ((options.timeoutSeconds ?? 40) + 20) * 1000;
    try {
      const { stdout, stderr } = await execFileAsync(this.#sipp, args, { timeout });
      return { stdout, stderr, messages: await readFile(messages, 'utf8') };
    } catch (error) {
      const log = await readFile(errors, 'utf8').catch(() => '');
      throw new Error(`sipp ${options.scenario} failed: ${(error as Error).message}\n${log.slice(-2000)}`);
    }
  }

  /**
   * Starts a scenario that waits for faxd's request on `port` and resolves once sipp listens there; `finished` then
   * settles as `run` does. (Wrapped, since a promise resolving to a promise would wait for sipp to finish.)
   */
  async start(options: SippOptions & { readonly port: number }): Promise<{ finished: Promise<SippRun> }> {
    let over = false;
    const finished = this.run(options).finally(() => {
      over = true;
    });
    // Kept handled until the caller awaits it: a scenario failing before then must not be an unhandled rejection.
    finished.catch(() => {});
    await Promise.race([listening(options.port, () => over), finished]);
    return { finished };
  }

  /**
   * Starts faxd with one sip line (id 1, numbers ["100"] unless `sip` says otherwise) on a free SIP port, its calls'
   * UDPTL on one free media port; `config` adds to or overrides the rest of the configuration, `lineKeys` the line's.
   */
  async startFaxd(
    sip: Record<string, unknown>,
    config: Record<string, unknown> = {},
    lineKeys: Record<string, unknown> = {},
  ): Promise<{ faxd: TestFaxd; sipPort: number; media: number }> {
    const [sipPort, media] = [await freeUdpPort(), await freeUdpPort()];
    const line = {
      id: 1,
      kind: 'sip',
      sip: { listen: `127.0.0.1:${sipPort}`, numbers: ['100'], ...sip },
      mediaPorts: `${media}-${media}`,
      ...lineKeys,
    };
    const faxd = await startTestFaxd({ lines: [line], ...config });
    this.#cleanups.push(() => faxd.dispose());
    return { faxd, sipPort, media };
  }
}

/**
 * Resolves once `faxd` has answered a call (its incoming job is added): when a calling SpanDSP peer starts
 * (startSpandspSender's `startWhen`), as a fax machine starts calling once the call is answered.
 */
export async function answeredBy(faxd: TestFaxd): Promise<void> {
  const answered = () => faxd.events.some((event) => event.event === 'incomingJobAdded') || undefined;
  await waitFor('faxd to answer the call', answered, 60_000, 10);
}

/**
 * Answers the next call `line` is offered: `answered` resolves with it as the line answers (when a calling SpanDSP
 * peer starts: startSpandspSender's `startWhen`), `received` with the call's result once it is over.
 */
export function answerNextCall(line: Pick<FaxLine, 'incomingCallHandler'>): {
  answered: Promise<IncomingCall>;
  received: Promise<LineCallResult>;
} {
  let answer: (call: IncomingCall) => void = () => {};
  const answered = new Promise<IncomingCall>((resolve) => {
    answer = resolve;
  });
  const received = new Promise<LineCallResult>((resolve) => {
    line.incomingCallHandler = (call) => {
      answer(call);
      return { onEvent: () => {}, onEnd: resolve };
    };
  });
  return { answered, received };
}

/** The messages of a sipp message log (-trace_msg): each after a dashed line with its time and a line saying which way. */
export function decodeSippLog(log: string): SippMessage[] {
  return log
    .split(/^-{20,} \S+ \S+\n/m)
    .slice(1)
    .map((entry) => {
      const [heading = '', , ...lines] = entry.split('\n').map((line) => line.replace(/\r$/, ''));
      const end = lines.indexOf('');
      const headers = lines.slice(1, end);
      return {
        direction: /\bsent\b/.test(heading) ? 'sent' : 'received',
        startLine: lines[0] ?? '',
        header: (name) => {
          const prefix = `${name.toLowerCase()}:`;
          const line = headers.find((header) => header.toLowerCase().startsWith(prefix));
          return line ? line.slice(prefix.length).trim() : '';
        },
        body: lines
          .slice(end + 1)
          .join('\n')
          .trim(),
      };
    });
}

/** The requests in a sipp message log that sipp received, in order, each once: retransmissions are left out. */
export function receivedRequests(log: string): SippMessage[] {
  const requests = decodeSippLog(log).filter(
    (message) => message.direction === 'received' && !message.startLine.startsWith('SIP/'),
  );
  return [
    ...new Map(requests.map((message) => [`${message.header('Via')} ${message.header('CSeq')}`, message])).values(),
  ];
}

/** The method of each request, as a list to compare. */
export function methodsOf(requests: readonly SippMessage[]): string[] {
  return requests.map((message) => message.startLine.split(' ')[0] ?? '');
}

/**
 * Resolves once a UDP socket is bound to `port`, read from Linux's table of them (a probing bind of our own could take
 * the port from under sipp), or once `over` says sipp has already ended.
 */
async function listening(port: number, over: () => boolean): Promise<void> {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  while (!over()) {
    const table = await readFile('/proc/net/udp', 'utf8');
    if (table.split('\n').some((row) => row.trim().split(/\s+/)[1]?.endsWith(suffix))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * What each end of a SIP call carried by SpanDSP saw, for the message of a failed assertion: a call that never got
 * going says which side heard nothing, and when sipp saw what.
 */
export function callSeenByEachEnd(spandsp: { completionText: string }, faxd: LineCallResult, sipp: string): string {
  const { outcome, failure, udptl, report } = faxd;
  return `SpanDSP: ${spandsp.completionText}\nfaxd: ${JSON.stringify({ outcome, failure, udptl, report })}\nsipp:\n${sipp}`;
}
