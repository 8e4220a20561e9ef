// Benchmark: faxd's audio fax terminal (its own modems, G.711 µ-law in 20 ms RTP packets on UDP) in real time (issue 12
// item 7). (c) Session time of a 3-page fine fax, faxd sending to SpanDSP's audio terminal against SpanDSP sending to
// it, in the same run. (b) Capacity: how many simultaneous audio loopback calls (faxd calling faxd, both ends in this
// one process) keep the driver's timers within 20 ms of the packets' deadlines at the 99th percentile.
// `node bench/audio.mjs session` or `... capacity` runs one part; no argument runs both.
import { runSpandspRtpFaxPeer } from '../packages/server/dist/testing/spandsp-rtp-fax-peer.js';
import { runFaxSessionBench } from './fax-session-bench.mjs';

await runFaxSessionBench({
  name: 'audio',
  call: { media: 'pcmu', ecm: true, compression: 'mmr', redundancy: 0, timeoutSeconds: 600 },
  runPeer: runSpandspRtpFaxPeer,
  basePort: Number(process.env.BENCH_AUDIO_PORT ?? 26000),
  steps: (process.env.BENCH_AUDIO_STEPS ?? '10,25,50,100,150,200,250,300').split(',').map(Number),
  staggerMs: Number(process.env.BENCH_AUDIO_STAGGER_MS ?? 2000),
  describe: 'PCMU, ECM, MMR',
});
