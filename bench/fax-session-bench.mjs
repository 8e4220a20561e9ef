// What the real-time fax benchmarks share (bench/t38.mjs over UDPTL, bench/audio.mjs over G.711 RTP): the session time
// of a 3-page fine fax faxd sends to a SpanDSP receiver against SpanDSP sending to it, in the same run, and capacity:
// how many faxd-to-faxd loopback calls one process keeps with its timers within 20 ms of the stations' deadlines at
// the 99th percentile.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageFromRows, writeTiffClassF } from '@faxd/protocol';
import { ituChartPath } from '@faxd/protocol/testing/paths';
import { readPbm } from '@faxd/protocol/testing/pbm';
import { runT38Call } from '@faxd/server';
import { machineLoad } from './timing.mjs';

const latenessLimitMs = 20;
const host = '127.0.0.1';

export function chartStrip(n, rows) {
  const chart = readPbm(ituChartPath(n));
  const height = Math.min(rows, chart.height);
  const { width, xResolution, yResolution } = chart;
  return pageFromRows({ width, height, xResolution, yResolution }, chart.data.slice(0, height * chart.stride));
}

function secondsSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Runs the parts named on the command line (`session`, `capacity`; none: both) of one medium's benchmark.
 * `call`: the runT38Call options both ends share (media among them); `runPeer`: the SpanDSP peer of that medium, taking
 * the peer options (mode, file, ports) on top of `call`; `steps`: the loads capacity tries, in calls.
 */
export async function runFaxSessionBench({ name, call, runPeer, basePort, steps, staggerMs, describe }) {
  const work = mkdtempSync(join(tmpdir(), `faxd-bench-${name}-`));

  /** One session with SpanDSP receiving; `sender` starts the sending end. Wall time until both ends are done. */
  async function timeSession(label, sender, ports) {
    const received = join(work, `${label}.tif`);
    const start = process.hrtime.bigint();
    const receiving = runPeer({ ...call, mode: 'receive', file: received, bindPort: ports[1], peerPort: ports[0] });
    const [peer, sent] = await Promise.all([receiving, sender(ports)]);
    const seconds = secondsSince(start);
    if (!peer.ok || !sent.ok) throw new Error(`${label}: the call failed: ${JSON.stringify({ peer, sent })}`);
    return { seconds, peer, sent };
  }

  async function sessionTime() {
    const pages = [1, 2, 3].map((n) => chartStrip(n, Number.POSITIVE_INFINITY));
    const tiff = join(work, 'three-fine.tif');
    writeFileSync(tiff, writeTiffClassF(pages, { compression: 'mmr' }));
    const faxd = await timeSession(
      'faxd',
      (ports) =>
        runT38Call({
          ...call,
          role: 'calling',
          pages,
          ident: 'FAXD',
          bind: { host, port: ports[0] },
          peer: { host, port: ports[1] },
        }),
      [basePort, basePort + 1],
    );
    const spandsp = await timeSession(
      'spandsp',
      (ports) => runPeer({ ...call, mode: 'send', file: tiff, bindPort: ports[0], peerPort: ports[1] }),
      [basePort + 2, basePort + 3],
    );
    const label = (run) =>
      `${run.seconds.toFixed(1)} s (${run.peer.bitRate} bit/s, ${run.peer.ecm ? 'ECM' : 'no ECM'}, encoding ${run.peer.encoding})`;
    console.log(
      `(a) 3-page fine fax (ITU charts 1-3, full pages, ${describe}) to a SpanDSP receiver, session wall time`,
    );
    console.log(`    faxd -> SpanDSP     ${label(faxd)}`);
    console.log(`    SpanDSP -> SpanDSP  ${label(spandsp)}`);
    console.log(
      `    ratio SpanDSP / faxd ${(spandsp.seconds / faxd.seconds).toFixed(2)} (1.0 or more: faxd as fast or faster)`,
    );
  }

  /**
   * N faxd-to-faxd calls at once in this process; every station's timer lateness goes into one distribution. The CPU
   * the process used meanwhile (process.cpuUsage, so other programs on the machine do not count) over the seconds every
   * session lasted is what one session costs: on a loaded machine the lateness says little, this still predicts how
   * many sessions a free core would keep.
   */
  async function loopbackLoad(pairs, page) {
    const lateness = [];
    const onLateness = (ms) => lateness.push(ms);
    let sessionSeconds = 0;
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const calls = Array.from({ length: pairs }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * staggerMs) / pairs));
      const ports = [basePort + 10 + 2 * i, basePort + 11 + 2 * i];
      const end = (role, bind, peer, pages) =>
        runT38Call({
          ...call,
          role,
          pages,
          ident: `${role} ${i}`,
          bind: { host, port: bind },
          peer: { host, port: peer },
          onLateness,
        });
      const [caller, answerer] = await Promise.all([
        end('calling', ports[0], ports[1], [page]),
        end('answering', ports[1], ports[0], undefined),
      ]);
      sessionSeconds += caller.seconds + answerer.seconds;
      return caller.ok && answerer.ok && answerer.received.length === 1;
    });
    const ok = (await Promise.all(calls)).filter(Boolean).length;
    const cpu = process.cpuUsage(cpuStart);
    lateness.sort((a, b) => a - b);
    return {
      ok,
      seconds: secondsSince(start),
      cpuMsPerSessionSecond: (cpu.user + cpu.system) / 1000 / sessionSeconds,
      systemShare: cpu.system / (cpu.user + cpu.system),
      samples: lateness.length,
      p50: percentile(lateness, 50),
      p99: percentile(lateness, 99),
      max: lateness.at(-1) ?? 0,
    };
  }

  async function capacity() {
    const page = chartStrip(1, 400);
    console.log(
      `(b) simultaneous loopback calls in one process (1 page, 1728x400 fine, ${describe}, starts spread over ${staggerMs} ms);`,
    );
    console.log('    lateness = how long after the station deadline its timer ran');
    // A process's first call compiles the code and builds the modems' tables (the first V.17 receiver's take a few
    // hundred milliseconds, once): that is start-up, paid before any load, not a cost of the calls measured.
    const warmUp = await loopbackLoad(1, page);
    console.log(`    after one warm-up call (${warmUp.ok}/1 ok, ${warmUp.seconds.toFixed(1)} s, not counted)`);
    let sustained = 0;
    for (const pairs of steps) {
      const r = await loopbackLoad(pairs, page);
      const fits = r.ok === pairs && r.p99 <= latenessLimitMs;
      console.log(
        `    ${String(pairs).padStart(4)} calls (${2 * pairs} sessions): ${r.ok}/${pairs} ok in ${r.seconds.toFixed(1)} s, ` +
          `${r.samples} wake-ups, lateness p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms max ${r.max.toFixed(1)} ms` +
          (fits ? '' : '  <- over the limit'),
      );
      // A session-second costing c ms of CPU takes c/10 % of a core: 1000/c sessions fill one.
      const cpu = r.cpuMsPerSessionSecond;
      console.log(
        `         CPU ${cpu.toFixed(2)} ms per session-second (${(cpu / 10).toFixed(3)} % of a core per session, ` +
          `~${Math.floor(1000 / cpu)} sessions per free core; ${(100 * r.systemShare).toFixed(0)} % of it in the kernel, ` +
          `the UDP sends and receives), ${machineLoad()}`,
      );
      if (!fits) break;
      sustained = pairs;
    }
    const last = sustained === steps.at(-1) ? ' (the largest step tried)' : '';
    console.log(`    largest load with p99 lateness <= ${latenessLimitMs} ms: ${sustained} calls${last}`);
  }

  const parts = process.argv.slice(2);
  try {
    if (parts.length === 0 || parts.includes('session')) await sessionTime();
    if (parts.length === 0 || parts.includes('capacity')) await capacity();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
