// Benchmark: faxd's T.38 engine in real time. (a) Session time of a 3-page fine fax, faxd sending to SpanDSP against
// SpanDSP sending to SpanDSP, in the same run. (b) Capacity: how many simultaneous loopback calls (faxd calling faxd,
// both ends in this one process) keep the driver's timers within 20 ms of the stations' deadlines at the 99th percentile.
// `node bench/t38.mjs session` or `... capacity` runs one part; no argument runs both.
import { runSpandspPeer } from '../packages/server/dist/testing/spandsp-peer.js';
import { runFaxSessionBench } from './fax-session-bench.mjs';

await runFaxSessionBench({
  name: 't38',
  call: { ecm: true, compression: 'mmr', redundancy: 3, timeoutSeconds: 300 },
  runPeer: runSpandspPeer,
  basePort: Number(process.env.BENCH_T38_PORT ?? 24000),
  steps: (process.env.BENCH_T38_STEPS ?? '50,100,200,300,500,700,800,900,1000').split(',').map(Number),
  // Loopback calls start spread over this long, as calls reach a server, rather than all in one instant.
  staggerMs: Number(process.env.BENCH_T38_STAGGER_MS ?? 2000),
  describe: 'ECM, MMR',
});
