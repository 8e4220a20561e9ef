// Conformance scripts: one session against a scripted remote station, steps kept as data.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { g3Capabilities } from '../testing/t30-capabilities.js';
import { MemoryDocumentSink, MemoryDocumentSource, testPageData } from '../testing/t30-documents.js';
import { runScript, type ScriptOptions, type ScriptStep } from '../testing/t30-script.js';
import type { Dcs } from './frames/dis-dcs.js';
import type { T30Frame, T30FrameType } from './frames/t30-frame.js';
import { T30Session } from './session.js';

const DCS_NON_ECM: Dcs = {
  modem: 'v29',
  bitRate: 9600,
  resolution: 'fine',
  width: 'a4',
  length: 'a4',
  compression: 'mh',
  ecm: false,
  ecmFrameSize: 256,
  minScanLineTime: 0,
  flags: new Set(['receive']),
};

const DEFAULTS: Partial<Record<T30FrameType, T30Frame>> = {
  DIS: { type: 'DIS', dis: g3Capabilities({ ecm: false, flags: new Set(['readyToReceive']) }) },
  CSI: { type: 'CSI', ident: 'REMOTE RECEIVER' },
  NSF: { type: 'NSF', fif: Uint8Array.of(0x00, 0x00, 0x0e, 0x42) },
  TSI: { type: 'TSI', ident: 'REMOTE SENDER' },
  DCS: { type: 'DCS', dcs: DCS_NON_ECM },
};

function sender(ecm = false): T30Session {
  return new T30Session({
    role: 'calling',
    direction: 'send',
    capabilities: g3Capabilities({ ecm }),
    ident: 'LOCAL',
    source: new MemoryDocumentSource([testPageData(1, 600)]),
  });
}

function receiver(sink = new MemoryDocumentSink()): T30Session {
  return new T30Session({
    role: 'answering',
    direction: 'receive',
    capabilities: g3Capabilities(),
    ident: 'LOCAL',
    sink,
  });
}

const AS_ANSWERER: ScriptOptions = { defaults: DEFAULTS, xBit: false };
const AS_CALLER: ScriptOptions = { defaults: DEFAULTS, xBit: true };

const SENDER_SCRIPTS: Record<string, { readonly ecm?: boolean; readonly steps: readonly ScriptStep[] }> = {
  'sends one page: NSF passed through, 14400 chosen': {
    steps: [
      { send: 'NSF', final: false },
      { send: 'CSI', final: false },
      { send: 'DIS' },
      { expect: 'TSI', match: { ident: 'LOCAL' } },
      { expect: 'DCS', match: { dcs: { modem: 'v17', bitRate: 14400, ecm: false } } },
      { expect: 'TCF' },
      { send: 'CFR' },
      { expect: 'image' },
      { expect: 'EOP' },
      { send: 'MCF' },
      { expect: 'DCN' },
      { outcome: 'ok' },
    ],
  },
  'falls back after FTT and repeats a command on CRP': {
    steps: [
      { send: 'DIS' },
      { expect: 'TSI' },
      { expect: 'DCS', match: { dcs: { bitRate: 14400 } } },
      { expect: 'TCF' },
      { send: 'FTT' },
      { expect: 'TSI' },
      { expect: 'DCS', match: { dcs: { modem: 'v17', bitRate: 12000 } } },
      { expect: 'TCF' },
      { send: 'CFR' },
      { expect: 'image' },
      { expect: 'EOP' },
      { send: 'CRP' },
      { expect: 'EOP' },
      { wait: 3_000 },
      { expect: 'EOP' },
      { wait: 3_000 },
      { expect: 'DCN' },
      { outcome: 'no-response' },
    ],
  },
  'reports a DCN answering the post-page command as a remote disconnect': {
    steps: [
      { send: 'DIS' },
      { expect: 'TSI' },
      { expect: 'DCS' },
      { expect: 'TCF' },
      { send: 'CFR' },
      { expect: 'image' },
      { expect: 'EOP' },
      { send: 'DCN' },
      { expect: 'silence' },
      { outcome: 'remote-disconnected' },
    ],
  },
  'ECM: polls a busy receiver with RR until T5': {
    ecm: true,
    steps: [
      { send: 'DIS', frame: { type: 'DIS', dis: g3Capabilities({ flags: new Set(['readyToReceive']) }) } },
      { expect: 'TSI' },
      { expect: 'DCS', match: { dcs: { ecm: true, compression: 'mmr' } } },
      { expect: 'TCF' },
      { send: 'CFR' },
      { expect: 'FCD', match: { frameNumber: 0 } },
      { expect: 'FCD', match: { frameNumber: 1 } },
      { expect: 'FCD', match: { frameNumber: 2 } },
      { expect: 'RCP' },
      { expect: 'RCP' },
      { expect: 'RCP' },
      { expect: 'PPS', match: { pps: { command: 'EOP', pageCounter: 0, blockCounter: 0, frameCount: 3 } } },
      { send: 'RNR' },
      { expect: 'RR' },
      ...Array.from({ length: 20 }, (): ScriptStep[] => [{ send: 'RNR' }, { expect: 'RR' }, { wait: 2_900 }]).flat(),
      // Unanswered, RR is repeated after T4; T5 (60 s from the first RNR) then ends the call.
      { wait: 2_000 },
      { expect: 'RR' },
      { expect: 'DCN' },
      { outcome: 'T5-expired' },
    ],
  },
};

/** The remote sender trains at 9600 (DCS, TCF; CFR back) and sends a page ended by `command`. */
function trainedPage(command: 'MPS' | 'EOP'): ScriptStep[] {
  const tcf: ScriptStep = { send: 'TCF', seconds: 1.5, bitRate: 9600 };
  return [{ send: 'DCS' }, tcf, { expect: 'CFR' }, { send: 'image', octets: 2000 }, { send: command }];
}

const RECEIVER_SCRIPTS: Record<string, readonly ScriptStep[]> = {
  'receives one page, answers CFR after good TCF': [
    { expect: 'CSI', match: { ident: 'LOCAL' } },
    { expect: 'DIS', match: { dis: { ecm: true } } },
    { send: 'TSI', final: false },
    { send: 'DCS' },
    { send: 'TCF', seconds: 1.5, bitRate: 9600 },
    { expect: 'CFR' },
    { send: 'image', octets: 2000 },
    { send: 'EOP' },
    { expect: 'MCF' },
    { send: 'EOP' },
    { expect: 'MCF' },
    { send: 'DCN' },
    { outcome: 'ok' },
  ],
  'answers FTT to a damaged TCF, CRP to a garbled command, then T2 ends the wait': [
    { expect: 'CSI' },
    { expect: 'DIS' },
    { send: 'DCS' },
    { send: 'TCF', seconds: 1.5, bitRate: 9600, damaged: true },
    { expect: 'FTT' },
    { send: 'DCS' },
    { send: 'TCF', seconds: 1.5, bitRate: 9600 },
    { expect: 'CFR' },
    { send: 'image', octets: 2000 },
    { send: 'MPS', fcsOk: false },
    { expect: 'CRP' },
    { send: 'MPS' },
    { expect: 'MCF' },
    { wait: 17_999 },
    { expect: 'silence' },
    { wait: 1 },
    { expect: 'DCN' },
    { outcome: 'T2-expired' },
  ],
  ...Object.fromEntries(
    (['training-received', 'image-carrier'] as const).map((carrier) => [
      `answers RTN to MPS after a page carrier that brought no data (${carrier}), MCF again to a repeated MPS`,
      [
        { expect: 'CSI' },
        { expect: 'DIS' },
        ...trainedPage('MPS'),
        { expect: 'MCF' },
        // The sender missed the MCF and says MPS again, with no carrier before it: the same answer.
        { send: 'MPS' },
        { expect: 'MCF' },
        // Page 2's carrier came but brought nothing: the same MPS frame after it is no repeat.
        { carrier },
        { send: 'MPS' },
        { expect: 'RTN' },
        { send: 'MPS' },
        { expect: 'RTN' },
        ...trainedPage('EOP'),
        { expect: 'MCF' },
        { send: 'DCN' },
        { outcome: 'ok' },
      ] satisfies readonly ScriptStep[],
    ]),
  ),
  'ECM: asks for a missing frame with PPR, then confirms': [
    { expect: 'CSI' },
    { expect: 'DIS' },
    { send: 'DCS', frame: { type: 'DCS', dcs: { ...DCS_NON_ECM, ecm: true, compression: 'mmr' } } },
    { send: 'TCF', seconds: 1.5, bitRate: 9600 },
    { expect: 'CFR' },
    { send: 'FCD', frame: { type: 'FCD', frameNumber: 0, data: new Uint8Array(256).fill(1) }, final: false },
    { send: 'FCD', frame: { type: 'FCD', frameNumber: 2, data: new Uint8Array(10).fill(3) }, final: false },
    { send: 'RCP', final: false },
    { send: 'PPS', frame: { type: 'PPS', pps: { command: 'EOP', pageCounter: 0, blockCounter: 0, frameCount: 3 } } },
    { expect: 'PPR', match: { frames: [1] } },
    { send: 'FCD', frame: { type: 'FCD', frameNumber: 1, data: new Uint8Array(256).fill(2) }, final: false },
    { send: 'PPS', frame: { type: 'PPS', pps: { command: 'EOP', pageCounter: 0, blockCounter: 0, frameCount: 3 } } },
    { expect: 'MCF' },
    { send: 'DCN' },
    { outcome: 'ok' },
  ],
};

describe('conformance scripts: sender', () => {
  for (const [name, script] of Object.entries(SENDER_SCRIPTS)) {
    it(name, () => {
      runScript(sender(script.ecm), script.steps, AS_ANSWERER);
    });
  }

  it('reports NSF and CSI from the script', () => {
    const { events } = runScript(
      sender(),
      SENDER_SCRIPTS['sends one page: NSF passed through, 14400 chosen'].steps,
      AS_ANSWERER,
    );
    assert.deepEqual(
      events.filter((e) => e.type === 'remote-non-standard' || e.type === 'remote-ident'),
      [
        { type: 'remote-non-standard', frame: 'NSF', fif: Uint8Array.of(0x00, 0x00, 0x0e, 0x42) },
        { type: 'remote-ident', frame: 'CSI', ident: 'REMOTE RECEIVER' },
      ],
    );
  });
});

describe('conformance scripts: receiver', () => {
  for (const [name, steps] of Object.entries(RECEIVER_SCRIPTS)) {
    it(name, () => {
      runScript(receiver(), steps, AS_CALLER);
    });
  }

  it('stores the ECM page assembled from the retransmitted frame', () => {
    const sink = new MemoryDocumentSink();
    runScript(receiver(sink), RECEIVER_SCRIPTS['ECM: asks for a missing frame with PPR, then confirms'], AS_CALLER);
    assert.deepEqual(
      sink.stored[0].data,
      Uint8Array.from([...Array(256).fill(1), ...Array(256).fill(2), ...Array(10).fill(3)]),
    );
  });

  // SpanDSP's PPS after a retransmission counts the frames of that burst, not of the block: the block keeps the size
  // its first PPS gave, so a smaller count never confirms a block whose later frames are still missing.
  const fcd = (frameNumber: number): ScriptStep => ({
    send: 'FCD',
    frame: { type: 'FCD', frameNumber, data: new Uint8Array(64).fill(frameNumber + 1) },
    final: false,
  });
  const pps = (frameCount: number, blockCounter = 0): ScriptStep => ({
    send: 'PPS',
    frame: { type: 'PPS', pps: { command: 'EOP', pageCounter: 0, blockCounter, frameCount } },
  });
  /** DCS for ECM at V.27ter 4800, TCF, CFR back. */
  const ecmTraining: readonly ScriptStep[] = [
    { send: 'DCS', frame: { type: 'DCS', dcs: { ...DCS_NON_ECM, modem: 'v27ter', bitRate: 4800, ecm: true } } },
    { send: 'TCF', seconds: 1.5, bitRate: 4800 },
    { expect: 'CFR' },
  ];
  /** The call up to a first block of 4 frames that arrives without frames 1 and 3, and the PPR asking for them. */
  const firstBlockMissing1And3: readonly ScriptStep[] = [
    { expect: 'CSI' },
    { expect: 'DIS' },
    ...ecmTraining,
    fcd(0),
    fcd(2),
    pps(4),
    { expect: 'PPR', match: { frames: [1, 3] } },
  ];
  /** The same first block given up: EOR inside the page, answered ERR. */
  const firstBlockGivenUp: readonly ScriptStep[] = [
    ...firstBlockMissing1And3,
    { send: 'EOR', frame: { type: 'EOR', command: 'NULL' } },
    { expect: 'ERR' },
  ];

  it('ECM: a PPS after a retransmission that counts only the frames resent leaves the block its size', () => {
    const sink = new MemoryDocumentSink();
    const { events } = runScript(
      receiver(sink),
      [
        ...firstBlockMissing1And3,
        // Frames 1 and 3 resent, frame 3 lost again: the PPS says 2.
        fcd(1),
        pps(2),
        { expect: 'PPR', match: { frames: [3] } },
        fcd(3),
        pps(1),
        { expect: 'MCF' },
        { send: 'DCN' },
        { outcome: 'ok' },
      ],
      AS_CALLER,
    );
    assert.deepEqual(
      events.flatMap((e) => (e.type === 'ecm-block' ? [[e.frames, e.missing]] : [])),
      [
        [4, 2],
        [4, 1],
        [4, 0],
      ],
    );
    assert.equal(sink.stored.length, 1);
    assert.deepEqual(sink.stored[0].data, Uint8Array.from([1, 2, 3, 4].flatMap((n) => Array(64).fill(n))));
  });

  it('ECM: after EOR gives a block up, neither its frames nor its size count for the next block', () => {
    const sink = new MemoryDocumentSink();
    runScript(
      receiver(sink),
      [
        ...firstBlockGivenUp,
        ...ecmTraining,
        // Frame 2 of the given-up block must not fill in this block's lost frame 2.
        fcd(0),
        fcd(1),
        pps(3, 1),
        { expect: 'PPR', match: { frames: [2] } },
        fcd(2),
        pps(1, 1),
        { expect: 'MCF' },
        { send: 'DCN' },
        { outcome: 'ok' },
      ],
      AS_CALLER,
    );
    assert.deepEqual(sink.stored[0]?.data, Uint8Array.from([1, 2, 3].flatMap((n) => Array(64).fill(n))));
  });

  it('ECM: after ERR to EOR-NULL, takes the page’s next block straight on the image carrier and keeps the page', () => {
    const sink = new MemoryDocumentSink();
    runScript(
      receiver(sink),
      [
        ...firstBlockGivenUp,
        // T.30 Annex A: no new DCS; the next block follows on the image modem.
        fcd(0),
        fcd(1),
        pps(2, 1),
        { expect: 'MCF' },
        { send: 'DCN' },
        { outcome: 'ok' },
      ],
      AS_CALLER,
    );
    assert.equal(sink.stored.length, 1);
    assert.deepEqual(sink.stored[0]?.data, Uint8Array.from([1, 2].flatMap((n) => Array(64).fill(n))));
  });

  it('ECM: after ERR to EOR-MPS, keeps the blocks of the page that arrived and receives the next page', () => {
    const sink = new MemoryDocumentSink();
    const ppsOf = (command: 'NULL' | 'MPS' | 'EOP', pageCounter: number, blockCounter: number, frameCount: number) =>
      ({
        send: 'PPS',
        frame: { type: 'PPS', pps: { command, pageCounter, blockCounter, frameCount } },
      }) satisfies ScriptStep;
    const { events } = runScript(
      receiver(sink),
      [
        { expect: 'CSI' },
        { expect: 'DIS' },
        ...ecmTraining,
        // Page 1: block 0 whole, block 1 without its frame 1 however often it is asked for, then given up.
        fcd(0),
        fcd(1),
        ppsOf('NULL', 0, 0, 2),
        { expect: 'MCF' },
        fcd(0),
        ppsOf('MPS', 0, 1, 2),
        { expect: 'PPR', match: { frames: [1] } },
        { send: 'EOR', frame: { type: 'EOR', command: 'MPS' } },
        { expect: 'ERR' },
        // Page 2 follows at once, on the image modem.
        { send: 'FCD', frame: { type: 'FCD', frameNumber: 0, data: new Uint8Array(64).fill(3) }, final: false },
        ppsOf('EOP', 1, 0, 1),
        { expect: 'MCF' },
        { send: 'DCN' },
        { outcome: 'ok' },
      ],
      AS_CALLER,
    );
    assert.deepEqual(
      sink.stored.map((page) => page.data),
      [Uint8Array.from([1, 2].flatMap((n) => Array(64).fill(n))), new Uint8Array(64).fill(3)],
    );
    assert.deepEqual(
      events.flatMap((e) => (e.type === 'page-done' ? [e.page] : [])),
      [1, 2],
    );
  });
});
