import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { g3Capabilities } from '../testing/t30-capabilities.js';
import { MemoryDocumentSink, MemoryDocumentSource, testPageData } from '../testing/t30-documents.js';
import { encodeT30Frame, type T30Frame } from './frames/t30-frame.js';
import type { T30Input } from './front-end.js';
import { T30Session } from './session.js';

const FRAMES: readonly T30Frame[] = [
  { type: 'DIS', dis: g3Capabilities({ flags: new Set(['readyToReceive', 'readyToTransmit']) }) },
  {
    type: 'DCS',
    dcs: {
      ...g3Capabilities(),
      modem: 'v29',
      bitRate: 9600,
      resolution: 'fine',
      width: 'a4',
      length: 'a4',
      compression: 'mh',
      flags: new Set(['receive']),
    },
  },
  ...(
    ['CFR', 'FTT', 'MCF', 'RTP', 'RTN', 'MPS', 'EOP', 'EOM', 'DCN', 'CRP', 'RNR', 'RR', 'CTR', 'ERR', 'RCP'] as const
  ).map((type): T30Frame => ({ type })),
  { type: 'PPR', frames: [0, 5] },
  { type: 'PPS', pps: { command: 'EOP', pageCounter: 0, blockCounter: 0, frameCount: 2 } },
  { type: 'FCD', frameNumber: 1, data: Uint8Array.of(1, 2, 3) },
];

const input: fc.Arbitrary<T30Input> = fc.oneof(
  fc.constantFrom(...FRAMES).map((frame): T30Input => ({ type: 'hdlc', bytes: encodeT30Frame(frame), fcsOk: true })),
  fc.uint8Array({ maxLength: 40 }).map((bytes): T30Input => ({ type: 'hdlc', bytes, fcsOk: true })),
  fc.uint8Array({ maxLength: 8 }).map((bytes): T30Input => ({ type: 'hdlc', bytes, fcsOk: false })),
  fc.uint8Array({ maxLength: 400 }).map((bytes): T30Input => ({ type: 'image-data', bytes })),
  fc.constantFrom<T30Input>({ type: 'image-end' }, { type: 'send-done' }, { type: 'training-received' }),
);

function session(role: 'calling' | 'answering', direction: 'send' | 'receive'): T30Session {
  return new T30Session({
    role,
    direction,
    capabilities: g3Capabilities(),
    source: new MemoryDocumentSource([testPageData(1, 700)]),
    sink: new MemoryDocumentSink(),
  });
}

describe('T30Session robustness', () => {
  it('never throws on any sequence of line inputs and timer runs, and reports exactly one outcome at most', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('calling', 'answering'),
        fc.constantFrom('send', 'receive'),
        fc.array(fc.tuple(input, fc.integer({ min: 0, max: 8000 })), { maxLength: 60 }),
        (role, direction, steps) => {
          const s = session(role, direction);
          let now = 0;
          const outputs = s.receive({ type: 'start' }, now);
          for (const [next, wait] of steps) {
            outputs.push(...s.receive(next, now));
            now += wait;
            outputs.push(...s.advance(now));
          }
          const outcomes = outputs.filter((o) => o.type === 'event' && o.event.type === 'outcome');
          assert.ok(outcomes.length <= 1);
          assert.equal(outcomes.length === 1, s.finished);
        },
      ),
      { numRuns: 400, seed: 30 },
    );
  });

  it('rejects a second start as a programmer error', () => {
    const s = session('calling', 'send');
    s.receive({ type: 'start' }, 0);
    assert.throws(() => s.receive({ type: 'start' }, 1), /already started/);
  });

  it('ends with local-cancel and no DCN when cancelled before start', () => {
    const s = session('calling', 'send');
    const outputs = s.receive({ type: 'cancel' }, 0);
    assert.ok(!outputs.some((o) => o.type === 'send-hdlc'));
    assert.ok(
      outputs.some((o) => o.type === 'event' && o.event.type === 'outcome' && o.event.outcome.code === 'local-cancel'),
    );
  });
});
