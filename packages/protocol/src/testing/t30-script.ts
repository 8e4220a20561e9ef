// Test support: conformance scripts for one T.30 session, kept as data (in the manner of TSB-85 test scripts).
//
// The script plays the remote station: `send` steps feed the session, `expect` steps consume what the session
// transmitted, in order. The session's transmissions complete at once (send-done follows each call).

import assert from 'node:assert/strict';
import { decodeT30Frame, encodeT30Frame, type T30Frame, type T30FrameType } from '../t30/frames/t30-frame.js';
import type { T30Event, T30Input, T30Output } from '../t30/front-end.js';
import type { T30Outcome, T30OutcomeCode } from '../t30/outcome.js';
import type { T30Session } from '../t30/session.js';

export type ScriptStep =
  /** The next thing the session transmitted; `match` is a subset of the decoded frame. */
  | { readonly expect: T30FrameType | 'TCF' | 'image'; readonly match?: object }
  /** The session transmitted nothing more. */
  | { readonly expect: 'silence' }
  /** A frame to the session; without `frame`, the script's default for that type (or a frame without FIF). */
  | { readonly send: T30FrameType; readonly frame?: T30Frame; readonly fcsOk?: boolean; readonly final?: boolean }
  | { readonly send: 'TCF'; readonly seconds: number; readonly bitRate: number; readonly damaged?: boolean }
  | { readonly send: 'image'; readonly octets: number }
  /** An image carrier that brought no data: trained (a T.38 indicator alone) or not (heard by an audio front end). */
  | { readonly carrier: 'training-received' | 'image-carrier' }
  /** Virtual time passes; timers fire. */
  | { readonly wait: number }
  | { readonly outcome: T30OutcomeCode };

type Heard = { readonly kind: 'frame'; readonly frame: T30Frame } | { readonly kind: 'TCF' | 'image' };

export interface ScriptResult {
  readonly events: T30Event[];
  readonly outcome?: T30Outcome;
}

export interface ScriptOptions {
  /** Frames used by `send` steps that name only a type. */
  readonly defaults?: Partial<Record<T30FrameType, T30Frame>>;
  /** X bit of the frames the script sends: set when the script plays the calling station. */
  readonly xBit?: boolean;
}

function isSubset(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected);
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) return isSubset(Object.assign({}, actual), Object.assign({}, expected));
  return Object.entries(expected).every(([key, value]) => isSubset((actual as Record<string, unknown>)[key], value));
}

export function runScript(
  session: T30Session,
  steps: readonly ScriptStep[],
  options: ScriptOptions = {},
): ScriptResult {
  const heard: Heard[] = [];
  const events: T30Event[] = [];
  let now = 0;
  let outcome: T30Outcome | undefined;

  const take = (outputs: T30Output[]): void => {
    let transmitted = false;
    for (const output of outputs) {
      if (output.type === 'event') {
        events.push(output.event);
        if (output.event.type === 'outcome') outcome = output.event.outcome;
      } else if (output.type === 'send-hdlc') {
        for (const bytes of output.frames) heard.push({ kind: 'frame', frame: decodeT30Frame(bytes).frame });
        transmitted = true;
      } else if (output.type === 'send-tcf' || output.type === 'send-image') {
        heard.push({ kind: output.type === 'send-tcf' ? 'TCF' : 'image' });
        transmitted = true;
      }
    }
    if (transmitted) take(session.receive({ type: 'send-done' }, now));
  };
  const feed = (input: T30Input): void => take(session.receive(input, now));

  take(session.receive({ type: 'start' }, now));
  const runStep = (step: ScriptStep, where: string) => {
    if ('expect' in step) {
      if (step.expect === 'silence')
        return assert.equal(heard.length, 0, `${where}: session sent ${heard.length} more`);
      const next = heard.shift();
      assert.ok(next, `${where}: the session sent nothing`);
      const got = next.kind === 'frame' ? next.frame.type : next.kind;
      assert.equal(got, step.expect, `${where}: the session sent ${got}`);
      if (step.match && next.kind === 'frame')
        assert.ok(isSubset(next.frame, step.match), `${where}: got ${JSON.stringify(next.frame)}`);
    } else if ('send' in step) {
      if (step.send === 'TCF') {
        const data = new Uint8Array(Math.round((step.bitRate * step.seconds) / 8));
        if (step.damaged) for (let i = 0; i < data.length; i += 97) data[i] = 1;
        feed({ type: 'training-received' });
        feed({ type: 'image-data', bytes: data });
        return feed({ type: 'image-end' });
      }
      if (step.send === 'image') {
        feed({ type: 'image-data', bytes: new Uint8Array(step.octets).fill(0x5a) });
        return feed({ type: 'image-end' });
      }
      const frame = step.frame ?? options.defaults?.[step.send] ?? ({ type: step.send } as T30Frame);
      const bytes = encodeT30Frame(frame, { xBit: options.xBit ?? false, final: step.final ?? true });
      feed({ type: 'hdlc', bytes, fcsOk: step.fcsOk ?? true });
    } else if ('carrier' in step) {
      feed({ type: step.carrier });
    } else if ('wait' in step) {
      const until = now + step.wait;
      for (let due = session.nextDeadline(); due !== undefined && due <= until; due = session.nextDeadline()) {
        now = due;
        take(session.advance(now));
      }
      now = until;
    } else {
      assert.equal(outcome?.code, step.outcome, `${where}: outcome ${JSON.stringify(outcome)}`);
    }
  };
  for (const [index, step] of steps.entries()) runStep(step, `step ${index + 1} ${JSON.stringify(step)}`);
  return { events, outcome };
}
