import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaxToneDetector } from '../audio/fax-tone-detector.js';
import { concatBytes } from '../bits/concat-bytes.js';
import { encodePage } from '../image/codec.js';
import { createPage } from '../image/page.js';
import { encodeV21Burst, V21HdlcReceiver } from '../modem/v21/v21-hdlc.js';
import { V29Demodulator } from '../modem/v29/v29-demodulator.js';
import { encodeFcf } from '../t30/frames/fcf.js';
import { type FrontEndInput, type LineModem, PageDataReader, V21 } from '../t30/front-end.js';
import { AudioFaxTerminal } from './audio-fax-terminal.js';
import { GAP_SAMPLES } from './audio-transmitter.js';

const V29_9600: LineModem = { modem: 'v29', bitRate: 9600 };
const DIS = Uint8Array.of(0xff, 0xc8, encodeFcf('DIS'), 0x00, 0x70, 0x80);
const DCS = Uint8Array.of(0xff, 0xc8, encodeFcf('DCS', true), 0x00, 0x70, 0x80);
const MCF = Uint8Array.of(0xff, 0xc8, encodeFcf('MCF', true));

/** What a terminal sent, 160 samples at a time, and the sample counts at which it reported send-done. */
function transmitted(terminal: AudioFaxTerminal, samples: number): { line: Int16Array; sendDone: number[] } {
  const line = new Int16Array(samples);
  const sendDone: number[] = [];
  for (let at = 0; at < samples; at += 160) {
    const out = line.subarray(at, at + 160);
    if (terminal.transmit(out).some((input) => input.type === 'send-done')) sendDone.push(at + 160);
  }
  return { line, sendDone };
}

/**
 * [start, end) of each stretch of signal, rounded to 8 samples. Silence is exact zeros and a signal's own zero samples
 * come singly; a tone or V.21 burst that starts at phase 0 has a zero for its first sample, hence the rounding.
 */
function signals(line: Int16Array): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  let zeros = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i < line.length && line[i] !== 0) {
      if (start < 0) start = i;
      zeros = 0;
    } else if (start >= 0 && (++zeros === 8 || i === line.length)) {
      out.push([Math.round(start / 8) * 8, Math.round((i - zeros + 1) / 8) * 8]);
      start = -1;
    }
  }
  return out;
}

function v21Frames(line: Int16Array): { bytes: Uint8Array; fcsOk: boolean }[] {
  const receiver = new V21HdlcReceiver();
  const frames: { bytes: Uint8Array; fcsOk: boolean }[] = [];
  for (let at = 0; at < line.length; at += 160) frames.push(...receiver.receive(line.subarray(at, at + 160)).frames);
  return frames;
}

/** Samples of a V.21 burst with `bits` line bits: bit n starts at ⌈n·80/3⌉. */
const v21Samples = (bits: number) => Math.ceil((bits * 80) / 3);

/** Runs `receiver` over `line` 160 samples at a time and collects its inputs. */
function heard(receiver: AudioFaxTerminal, line: Int16Array): FrontEndInput[] {
  const inputs: FrontEndInput[] = [];
  for (let at = 0; at < line.length; at += 160) inputs.push(...receiver.receive(line.subarray(at, at + 160)));
  return inputs;
}

describe('AudioFaxTerminal transmitting', () => {
  it('answerer: 200 ms of silence, CED for 2.6 s, 75 ms, then the DIS burst with its 907 ms preamble, then send-done', () => {
    const terminal = new AudioFaxTerminal({ role: 'answering' });
    terminal.start();
    terminal.perform({ type: 'send-hdlc', modem: V21, frames: [DIS] });
    const { line, sendDone } = transmitted(terminal, 8 * 8000);
    const [ced, dis, ...rest] = signals(line);
    assert.deepEqual(ced, [1600, 1600 + 20_800]);
    assert.deepEqual(rest, []);
    const detector = new FaxToneDetector('ced');
    assert.ok(detector.receive(line.subarray(...(ced as [number, number]))).some((e) => e.kind === 'on'));
    assert.equal(dis?.[0], 22_400 + GAP_SAMPLES);
    // 34 preamble flags (907 ms), the frame and its FCS stuffed, two closing flags.
    const bits = encodeV21Burst([DIS], { preambleFlags: 34 }).length;
    assert.equal(bits, 34 * 8 + (DIS.length + 2) * 8 + 2 + 2 * 8);
    assert.ok(Math.abs((dis?.[1] ?? 0) - (dis?.[0] ?? 0) - v21Samples(bits)) <= 8, `${dis}`);
    assert.deepEqual(sendDone, [Math.ceil((dis?.[1] ?? 0) / 160) * 160]);
    assert.deepEqual(v21Frames(line), [{ bytes: DIS, fcsOk: true }]);
    assert.ok(terminal.idle);
  });

  it('caller: CNG 0.5 s on and 3 s off until the far end’s V.21 flags are heard, then silence', () => {
    const terminal = new AudioFaxTerminal({ role: 'calling' });
    terminal.start();
    const first = transmitted(terminal, 8 * 8000);
    assert.deepEqual(signals(first.line), [
      [0, 4000],
      [28_000, 32_000],
      [56_000, 60_000],
    ]);
    const detector = new FaxToneDetector('cng');
    assert.ok(detector.receive(first.line.subarray(0, 4000)).some((e) => e.kind === 'on'));
    // The answerer's DIS burst: CNG stops once its preamble has gone on for eight flags.
    const answerer = new AudioFaxTerminal({ role: 'answering' });
    answerer.perform({ type: 'send-hdlc', modem: V21, frames: [DIS] });
    const dis = transmitted(answerer, 3 * 8000).line;
    const inputs = heard(terminal, dis);
    assert.deepEqual(inputs, [{ type: 'hdlc', bytes: DIS, fcsOk: true }]);
    assert.deepEqual(signals(transmitted(terminal, 5 * 8000).line), []);
    assert.equal(first.sendDone.length, 0, 'CNG is not the session’s to hear about');
  });

  it('DCS then TCF: 75 ms apart, TCF on V.29 as training then 1.5 s of zeros, one send-done for both', () => {
    const terminal = new AudioFaxTerminal({ role: 'calling' });
    terminal.perform({ type: 'send-hdlc', modem: V21, frames: [DCS] });
    terminal.perform({ type: 'send-tcf', modem: V29_9600, durationMs: 1500 });
    const { line, sendDone } = transmitted(terminal, 6 * 8000);
    const [dcs, tcf, ...rest] = signals(line) as [number, number][];
    assert.deepEqual(rest, []);
    // A terminal that has sent nothing yet has been silent long enough; the caller's CNG would have left its gap.
    assert.equal(dcs[0], 0);
    // V.29's training opens with 48 symbols of silence (20 ms), and its pulse rises from zero over a few samples.
    const gap = tcf[0] - dcs[1];
    assert.ok(gap >= GAP_SAMPLES + 160 && gap <= GAP_SAMPLES + 160 + 20, `gap ${gap}`);
    assert.deepEqual(sendDone, [Math.ceil(tcf[1] / 160) * 160]);
    assert.deepEqual(v21Frames(line.subarray(0, dcs[1] + 160)), [{ bytes: DCS, fcsOk: true }]);
    const demodulator = new V29Demodulator(9600);
    const bits: Uint8Array[] = [];
    const events: string[] = [];
    for (let at = tcf[0] - 160; at < line.length; at += 160) {
      const output = demodulator.receive(line.subarray(at, at + 160));
      bits.push(output.bits);
      events.push(...output.events.map((e) => e.kind));
    }
    assert.deepEqual(events, ['carrier-up', 'training-succeeded', 'carrier-down']);
    const received = concatBytes(bits);
    // 14 400 zeros, then the shutdown's scrambled 1s, which descramble to 1s.
    assert.ok(received.subarray(0, 14_400).every((bit) => bit === 0));
    assert.ok(received.subarray(14_400, 14_400 + 64).every((bit) => bit === 1));
  });

  it('an answer waits 75 ms after the far carrier ends, though the frame it answers was complete at its closing flag', () => {
    const terminal = new AudioFaxTerminal({ role: 'answering' });
    const caller = new AudioFaxTerminal({ role: 'calling' });
    caller.perform({ type: 'send-hdlc', modem: V21, frames: [DCS] });
    const far = transmitted(caller, 2 * 8000).line;
    const farEnd = signals(far)[0]?.[1] ?? 0;
    const line = new Int16Array(far.length + 160);
    let answeredAt = -1;
    // As a station exchanges packets: the 20 ms just heard, then the next 20 ms to send.
    for (let at = 0; at < far.length; at += 160) {
      const inputs = terminal.receive(far.subarray(at, at + 160));
      if (inputs.some((input) => input.type === 'hdlc')) {
        answeredAt = at + 160;
        terminal.perform({ type: 'send-hdlc', modem: V21, frames: [MCF] });
      }
      terminal.transmit(line.subarray(at + 160, at + 320));
    }
    assert.ok(answeredAt > 0 && answeredAt < farEnd, `frame at ${answeredAt}, carrier until ${farEnd}`);
    const start = signals(line)[0]?.[0] ?? 0;
    // The far carrier is seen to stop some 12 ms after its last sample (the power meter's decay); the gap counts from then.
    assert.ok(
      start >= farEnd + GAP_SAMPLES && start <= farEnd + GAP_SAMPLES + 120,
      `answer at ${start}, far end ${farEnd}`,
    );
  });

  it('stop-transmit cuts the signal on the line and drops the queue, without a send-done', () => {
    const terminal = new AudioFaxTerminal({ role: 'calling' });
    terminal.perform({ type: 'send-hdlc', modem: V21, frames: [DCS] });
    terminal.perform({ type: 'send-hdlc', modem: V21, frames: [MCF] });
    const before = transmitted(terminal, 4000);
    terminal.perform({ type: 'stop-transmit' });
    const after = transmitted(terminal, 4 * 8000);
    assert.deepEqual(signals(before.line), [[0, 4000]]);
    assert.deepEqual(signals(after.line), []);
    assert.deepEqual([...before.sendDone, ...after.sendDone], []);
    assert.ok(terminal.idle);
  });
});

describe('AudioFaxTerminal receiving', () => {
  it('hears nothing of its own signal coming back, during it and for 60 ms after', () => {
    const terminal = new AudioFaxTerminal({ role: 'calling' });
    terminal.perform({ type: 'send-hdlc', modem: V21, frames: [MCF] });
    const inputs: FrontEndInput[] = [];
    const sent = new Int16Array(3 * 8000);
    // The echo comes back 40 ms late at full strength.
    const echo = new Int16Array(sent.length);
    for (let at = 0; at < sent.length; at += 160) {
      inputs.push(...terminal.receive(echo.subarray(at, at + 160)));
      inputs.push(...terminal.transmit(sent.subarray(at, at + 160)));
      if (at + 480 <= echo.length) echo.set(sent.subarray(at, at + 160), at + 320);
    }
    assert.deepEqual(inputs, [{ type: 'send-done' }]);
    assert.deepEqual(v21Frames(echo), [{ bytes: MCF, fcsOk: true }], 'the echo itself carries the frame');
  });

  /** What `sender` puts on the line for `outputs`, with a second of silence after. */
  function lineFor(...outputs: Parameters<AudioFaxTerminal['perform']>[0][]): Int16Array {
    const sender = new AudioFaxTerminal({ role: 'calling' });
    for (const output of outputs) sender.perform(output);
    const { line, sendDone } = transmitted(sender, 40 * 8000);
    return line.subarray(0, (sendDone[0] ?? 0) + 8000);
  }

  it('after a DCS, the image carrier is TCF: every bit reaches the session, then image-end', () => {
    const receiver = new AudioFaxTerminal({ role: 'answering' });
    const line = lineFor(
      { type: 'send-hdlc', modem: V21, frames: [DCS] },
      { type: 'send-tcf', modem: V29_9600, durationMs: 1500 },
    );
    // The session hears DCS and switches to the image modem in the gap before TCF.
    const gap = ((signals(line)[0]?.[1] ?? 0) + 320) & ~159;
    const inputs = heard(receiver, line.subarray(0, gap));
    assert.deepEqual(inputs, [{ type: 'hdlc', bytes: DCS, fcsOk: true }]);
    receiver.perform({ type: 'set-receive-modem', modem: V29_9600, hdlc: false });
    const tcf = heard(receiver, line.subarray(gap));
    assert.deepEqual(tcf[0], { type: 'training-received' });
    assert.deepEqual(tcf.at(-1), { type: 'image-end' });
    const data = concatBytes(tcf.flatMap((input) => (input.type === 'image-data' ? [input.bytes] : [])));
    // 1.5 s at 9600 bit/s is 1800 octets of zeros; the shutdown's 1s follow.
    assert.ok(data.subarray(0, 1800).every((octet) => octet === 0));
    assert.ok(data.length > 1800 && data[1800] !== 0);
  });

  it('the answer to TCF (CFR) waits 75 ms after the TCF carrier ends', () => {
    const receiver = new AudioFaxTerminal({ role: 'answering' });
    const line = lineFor(
      { type: 'send-hdlc', modem: V21, frames: [DCS] },
      { type: 'send-tcf', modem: V29_9600, durationMs: 1500 },
    );
    const [dcs, tcf] = signals(line) as [number, number][];
    const gap = (dcs[1] + 320) & ~159;
    heard(receiver, line.subarray(0, gap));
    receiver.perform({ type: 'set-receive-modem', modem: V29_9600, hdlc: false });
    const sent = new Int16Array(line.length + 160);
    // As a station exchanges packets: the 20 ms just heard, then the next 20 ms to send.
    for (let at = gap; at < line.length; at += 160) {
      if (receiver.receive(line.subarray(at, at + 160)).some((input) => input.type === 'image-end')) {
        receiver.perform({ type: 'send-hdlc', modem: V21, frames: [MCF] });
      }
      receiver.transmit(sent.subarray(at + 160, at + 320));
    }
    const start = signals(sent)[0]?.[0] ?? 0;
    assert.ok(
      start >= tcf[1] + GAP_SAMPLES && start <= tcf[1] + GAP_SAMPLES + 320,
      `CFR at ${start}, TCF to ${tcf[1]}`,
    );
  });

  it('a page carrier (after our CFR) reaches the session from its first EOL to RTC', () => {
    const receiver = new AudioFaxTerminal({ role: 'answering' });
    receiver.perform({ type: 'send-hdlc', modem: V21, frames: [MCF] });
    receiver.perform({ type: 'set-receive-modem', modem: V29_9600, hdlc: false });
    // Every EOL of the page ends on an octet boundary, as the filter hands the first one on: it arrives unchanged.
    const white = createPage({ width: 1728, height: 3, xResolution: 204, yResolution: 98 });
    const page = encodePage(white, { compression: 'mh', byteAlignEol: true });
    const inputs = heard(receiver, lineFor({ type: 'send-image', modem: V29_9600, data: new PageDataReader(page) }));
    assert.deepEqual(inputs[0], { type: 'training-received' });
    assert.deepEqual(inputs.at(-1), { type: 'image-end' });
    const data = concatBytes(inputs.flatMap((input) => (input.type === 'image-data' ? [input.bytes] : [])));
    assert.deepEqual(data, page);
  });

  it('while an image carrier is expected, a V.21 frame still gets through (the far end repeated its command)', () => {
    const receiver = new AudioFaxTerminal({ role: 'answering' });
    receiver.perform({ type: 'set-receive-modem', modem: V29_9600, hdlc: true });
    const inputs = heard(receiver, lineFor({ type: 'send-hdlc', modem: V21, frames: [DCS] }));
    assert.deepEqual(inputs, [{ type: 'hdlc', bytes: DCS, fcsOk: true }]);
  });

  it('ECM frames on the image modem arrive as HDLC frames, without image-end', () => {
    const receiver = new AudioFaxTerminal({ role: 'answering' });
    receiver.perform({ type: 'set-receive-modem', modem: V29_9600, hdlc: true });
    const fcd = Uint8Array.from({ length: 260 }, (_, i) => (i < 3 ? [0xff, 0xc0, 0x60][i] : i * 7) as number);
    const rcp = Uint8Array.of(0xff, 0xc0, 0x61);
    const inputs = heard(receiver, lineFor({ type: 'send-hdlc', modem: V29_9600, frames: [fcd, rcp, rcp, rcp] }));
    assert.deepEqual(inputs, [
      { type: 'training-received' },
      { type: 'hdlc', bytes: fcd, fcsOk: true },
      ...Array.from({ length: 3 }, () => ({ type: 'hdlc', bytes: rcp, fcsOk: true })),
    ]);
  });
});
