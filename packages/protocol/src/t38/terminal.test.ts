import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FrontEndInput, PageDataReader, V21 } from '../t30/front-end.js';
import type { IfpPacket } from './ifp-packet.js';
import { T38Terminal, type T38TerminalOutput } from './terminal.js';

const V17_14400 = { modem: 'v17', bitRate: 14400 } as const;

/** Runs the terminal on a manual clock to its last deadline; each line is "time: packet xrepeats" or "time: input". */
function transcript(terminal: T38Terminal, first: T38TerminalOutput[], limit = 60_000): string[] {
  const lines: string[] = [];
  const log = (at: number, outputs: T38TerminalOutput[]) => {
    for (const o of outputs)
      lines.push(`${at.toFixed(1)}: ${o.type === 'ifp' ? describePacket(o.packet, o.repeats) : o.input.type}`);
  };
  log(0, first);
  for (let at = terminal.nextDeadline(); at !== undefined && at <= limit; at = terminal.nextDeadline()) {
    log(at, terminal.advance(at));
  }
  return lines;
}

function describePacket(packet: IfpPacket, repeats: number): string {
  const text =
    packet.type === 't30-indicator'
      ? packet.indicator
      : `${packet.dataType} ${packet.fields
          .map((f) => (f.data ? `${f.fieldType}[${Buffer.from(f.data).toString('hex')}]` : f.fieldType))
          .join(' ')}`;
  return repeats === 1 ? text : `${text} x${repeats}`;
}

describe('T38Terminal transmit pacing', () => {
  it('answerer: CED for 3 s, the gap, a V.21 preamble of 1 s, one octet per IFP, fcs-OK-sig-end, send-done', () => {
    const terminal = new T38Terminal({ role: 'answering' });
    const first = terminal.start(0);
    terminal.perform({ type: 'send-hdlc', modem: V21, frames: [Uint8Array.of(0xff, 0xc8, 0x01)] }, 0);
    assert.deepEqual(transcript(terminal, first), [
      '0.0: ced x3',
      '3000.0: no-signal x3',
      '3075.0: v21-preamble x3',
      '4075.0: v21 hdlc-data[ff]',
      '4101.7: v21 hdlc-data[c8]',
      '4128.3: v21 hdlc-data[01]',
      '4155.0: v21 hdlc-fcs-OK-sig-end x3',
      '4235.0: no-signal x3',
      '4235.0: send-done',
    ]);
  });

  it('caller: CNG, then a two-frame burst closes the first frame with hdlc-fcs-OK', () => {
    const terminal = new T38Terminal({ role: 'calling', chunkMs: 60 });
    const first = terminal.start(0);
    terminal.perform({ type: 'send-hdlc', modem: V21, frames: [Uint8Array.of(1, 2, 3), Uint8Array.of(4)] }, 500);
    assert.deepEqual(transcript(terminal, first), [
      '0.0: cng x3',
      '500.0: v21-preamble x3',
      '1500.0: v21 hdlc-data[0102]',
      '1553.3: v21 hdlc-data[03]',
      '1580.0: v21 hdlc-fcs-OK',
      '1660.0: v21 hdlc-data[04]',
      '1686.7: v21 hdlc-fcs-OK-sig-end x3',
      '1766.7: no-signal x3',
      '1766.7: send-done',
    ]);
  });

  it('TCF after DCS: long training, 1.5 s of zeros in 30 ms chunks, sig-end, one send-done for the whole queue', () => {
    const terminal = new T38Terminal({ role: 'calling', chunkMs: 30 });
    terminal.perform({ type: 'send-hdlc', modem: V21, frames: [Uint8Array.of(0xff)] }, 0);
    terminal.perform({ type: 'send-tcf', modem: V17_14400, durationMs: 1500 }, 0);
    const lines = transcript(terminal, terminal.advance(0));
    const tcf = lines.slice(lines.indexOf('1106.7: no-signal x3') + 1);
    assert.equal(tcf[0], '1181.7: v17-14400-long-training x3');
    const data = tcf.filter((line) => line.includes('t4-non-ecm-data'));
    assert.equal(data.length, 50);
    assert.equal(data[0], `2574.7: v17-14400 t4-non-ecm-data[${'00'.repeat(54)}]`);
    assert.deepEqual(tcf.slice(-3), [
      '4074.7: v17-14400 t4-non-ecm-sig-end x3',
      '4074.7: no-signal x3',
      '4074.7: send-done',
    ]);
    assert.equal(lines.filter((line) => line.endsWith('send-done')).length, 1);
  });

  it('pages pull their data at the bit rate and the second page at the same rate trains short', () => {
    const terminal = new T38Terminal({ role: 'calling', chunkMs: 20 });
    const page = new PageDataReader(new Uint8Array(100).fill(0xaa));
    terminal.perform({ type: 'send-tcf', modem: V17_14400, durationMs: 20 }, 0);
    terminal.perform({ type: 'send-image', modem: V17_14400, data: page }, 0);
    const lines = transcript(terminal, terminal.advance(0));
    const start = lines.indexOf('1488.0: v17-14400-short-training x3');
    assert.ok(start > 0, lines.join('\n'));
    assert.deepEqual(lines.slice(start + 1), [
      `1630.0: v17-14400 t4-non-ecm-data[${'aa'.repeat(36)}]`,
      `1650.0: v17-14400 t4-non-ecm-data[${'aa'.repeat(36)}]`,
      `1670.0: v17-14400 t4-non-ecm-data[${'aa'.repeat(28)}]`,
      '1685.6: v17-14400 t4-non-ecm-sig-end x3',
      '1685.6: no-signal x3',
      '1685.6: send-done',
    ]);
  });

  it('stop-transmit drops the queue, ends the signal with no-signal and reports no send-done', () => {
    const terminal = new T38Terminal({ role: 'calling' });
    terminal.perform({ type: 'send-hdlc', modem: V21, frames: [new Uint8Array(10)] }, 0);
    terminal.perform({ type: 'send-tcf', modem: V17_14400, durationMs: 1500 }, 0);
    terminal.advance(1050);
    terminal.perform({ type: 'stop-transmit' }, 1060);
    assert.deepEqual(terminal.advance(1060), [
      { type: 'ifp', packet: { type: 't30-indicator', indicator: 'no-signal' }, repeats: 3 },
    ]);
    assert.equal(terminal.nextDeadline(), undefined);
  });
});

describe('T38Terminal receive', () => {
  const v21 = (fieldType: string, data?: number[]): IfpPacket => ({
    type: 't30-data',
    dataType: 'v21',
    fields: [
      data
        ? { fieldType: fieldType as 'hdlc-data', data: Uint8Array.from(data) }
        : { fieldType: fieldType as 'hdlc-data' },
    ],
  });
  const inputs = (outputs: T38TerminalOutput[]): FrontEndInput[] =>
    outputs.flatMap((o) => (o.type === 'input' ? [o.input] : []));

  it("reassembles SpanDSP's one-octet-per-IFP frames and ignores the repeated end markers", () => {
    const terminal = new T38Terminal({ role: 'calling' });
    const got: FrontEndInput[] = [];
    got.push(...inputs(terminal.receive({ type: 't30-indicator', indicator: 'v21-preamble' }, 0)));
    for (const octet of [0xff, 0xc0, 0x02]) got.push(...inputs(terminal.receive(v21('hdlc-data', [octet]), 1)));
    got.push(...inputs(terminal.receive(v21('hdlc-fcs-OK'), 2)));
    for (const octet of [0xff, 0xc8, 0x01]) got.push(...inputs(terminal.receive(v21('hdlc-data', [octet]), 3)));
    for (let i = 0; i < 3; i++) got.push(...inputs(terminal.receive(v21('hdlc-fcs-OK-sig-end'), 4)));
    assert.deepEqual(got, [
      { type: 'hdlc', bytes: Uint8Array.of(0xff, 0xc0, 0x02), fcsOk: true },
      { type: 'hdlc', bytes: Uint8Array.of(0xff, 0xc8, 0x01), fcsOk: true },
    ]);
  });

  it('passes fcs-BAD on, and a frame spoilt by lost packets arrives as FCS-bad', () => {
    const terminal = new T38Terminal({ role: 'calling' });
    terminal.receive(v21('hdlc-data', [0xff, 0xc8]), 0);
    assert.deepEqual(inputs(terminal.receive(v21('hdlc-fcs-BAD-sig-end'), 0)), [
      { type: 'hdlc', bytes: Uint8Array.of(0xff, 0xc8), fcsOk: false },
    ]);
    terminal.receive(v21('hdlc-data', [0xff]), 0);
    assert.deepEqual(inputs(terminal.lost(0)), []);
    terminal.receive(v21('hdlc-data', [0x31]), 0);
    assert.deepEqual(inputs(terminal.receive(v21('hdlc-fcs-OK-sig-end'), 0)), [
      { type: 'hdlc', bytes: Uint8Array.of(0xff, 0x31), fcsOk: false },
    ]);
  });

  it('non-ECM data: training, data, a marker for lost data, and image-end when the sig-end never comes', () => {
    const terminal = new T38Terminal({ role: 'answering', signalTimeoutMs: 2000 });
    const image = (data: number[]): IfpPacket => ({
      type: 't30-data',
      dataType: 'v29-9600',
      fields: [{ fieldType: 't4-non-ecm-data', data: Uint8Array.from(data) }],
    });
    assert.deepEqual(inputs(terminal.receive({ type: 't30-indicator', indicator: 'v29-9600-training' }, 0)), [
      { type: 'training-received' },
    ]);
    assert.deepEqual(inputs(terminal.receive(image([1, 2]), 100)), [
      { type: 'image-data', bytes: Uint8Array.of(1, 2) },
    ]);
    assert.deepEqual(inputs(terminal.lost(120)), [{ type: 'image-data', bytes: Uint8Array.of(0xff, 0xff, 0xff) }]);
    assert.deepEqual(inputs(terminal.receive(image([3]), 130)), [{ type: 'image-data', bytes: Uint8Array.of(3) }]);
    assert.equal(terminal.nextDeadline(), 2130);
    assert.deepEqual(inputs(terminal.advance(2130)), [{ type: 'image-end' }]);
    assert.equal(terminal.nextDeadline(), undefined);
  });

  it('non-ECM data whose training indicator was lost still reports training first', () => {
    const terminal = new T38Terminal({ role: 'answering' });
    const packet: IfpPacket = {
      type: 't30-data',
      dataType: 'v17-14400',
      fields: [{ fieldType: 't4-non-ecm-data', data: Uint8Array.of(0) }, { fieldType: 't4-non-ecm-sig-end' }],
    };
    assert.deepEqual(inputs(terminal.receive(packet, 0)), [
      { type: 'training-received' },
      { type: 'image-data', bytes: Uint8Array.of(0) },
      { type: 'image-end' },
    ]);
  });
});

describe('T38Terminal calling tone', () => {
  const cngAt = (outputs: readonly T38TerminalOutput[]) =>
    outputs.filter((o) => o.type === 'ifp' && o.packet.type === 't30-indicator' && o.packet.indicator === 'cng').length;

  it('repeats CNG every 3.5 s until the called station is heard, then stops', () => {
    const terminal = new T38Terminal({ role: 'calling' });
    assert.equal(cngAt(terminal.start(0)), 1);
    assert.equal(terminal.nextDeadline(), 3500);
    assert.equal(cngAt(terminal.advance(3499)), 0);
    assert.equal(cngAt(terminal.advance(3500)), 1);
    assert.equal(cngAt(terminal.advance(7000)), 1);
    terminal.receive({ type: 't30-indicator', indicator: 'ced' }, 7100);
    assert.equal(terminal.nextDeadline(), undefined, 'heard the answerer: no more CNG');
    assert.equal(cngAt(terminal.advance(20_000)), 0);
  });

  it('stops when the session ends unanswered', () => {
    const terminal = new T38Terminal({ role: 'calling' });
    terminal.start(0);
    terminal.sessionEnded();
    assert.equal(terminal.nextDeadline(), undefined);
  });
});
