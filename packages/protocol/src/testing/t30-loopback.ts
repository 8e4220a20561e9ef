// Test support: two T.30 sessions back to back through an in-memory front end on a manual clock.
//
// Transmissions take their line time (V.21 frames at 300 bit/s after a 1 s preamble, TCF and page data at the image
// rate), arrive after a fixed latency, and the sender gets `send-done` when its queue runs empty, as a T.38 terminal
// would report. HDLC frames pass a LossyLink and an optional per-frame hook; TCF can be damaged on chosen rates.

import type { Dcs } from '../t30/frames/dis-dcs.js';
import type { LineModem, T30Event, T30FrontEnd, T30Input, T30LineOutput, T30Output } from '../t30/front-end.js';
import type { T30Outcome } from '../t30/outcome.js';
import type { T30Session } from '../t30/session.js';
import type { LossyLink } from './lossy-link.js';
import { ManualClock } from './manual-clock.js';

const V21_PREAMBLE_MS = 1000;
const IMAGE_TRAINING_MS = 200;
const GAP_MS = 75;
/** Non-ECM data arrives in chunks of this many milliseconds of line time. */
const IMAGE_CHUNK_MS = 100;

export type FrameFate = 'pass' | 'drop' | 'corrupt';

export interface LoopbackOptions {
  readonly latencyMs?: number;
  readonly link?: LossyLink;
  /** Hears each event of station `station` as it is emitted, at the loop's time (a test answering it). */
  readonly eventHook?: (event: T30Event, station: 'A' | 'B') => void;
  /** Decides the fate of one HDLC frame (MSB-first, no FCS) sent by station `from`, before the link. */
  readonly frameHook?: (bytes: Uint8Array, from: 'A' | 'B') => FrameFate;
  /** Whether TCF sent at this modem setting arrives with errors spread through it. */
  readonly damageTcf?: (modem: LineModem) => boolean;
  /** Give up (and return) after this much virtual time. */
  readonly limitMs?: number;
}

export class LoopbackStation {
  readonly name: 'A' | 'B';
  readonly session: T30Session;
  readonly events: T30Event[] = [];
  outcome?: T30Outcome;
  peer!: LoopbackStation;
  frontEnd!: T30FrontEnd;
  busyUntil = 0;
  pending = 0;
  generation = 0;
  /** Every HDLC frame this station put on the line, in order. */
  readonly sentFrames: Uint8Array[] = [];

  constructor(name: 'A' | 'B', session: T30Session) {
    this.name = name;
    this.session = session;
  }

  negotiated(): Dcs[] {
    return this.events.flatMap((event) => (event.type === 'negotiated' ? [event.dcs] : []));
  }
}

function frameMs(bytes: Uint8Array, bitRate: number): number {
  // Address to FCS plus a closing flag, ignoring bit stuffing.
  return ((bytes.length + 3) * 8 * 1000) / bitRate;
}

export class T30Loopback {
  readonly clock = new ManualClock();
  readonly a: LoopbackStation;
  readonly b: LoopbackStation;
  readonly #options: LoopbackOptions;

  constructor(a: T30Session, b: T30Session, options: LoopbackOptions = {}) {
    this.a = new LoopbackStation('A', a);
    this.b = new LoopbackStation('B', b);
    this.a.peer = this.b;
    this.b.peer = this.a;
    this.a.frontEnd = this.#frontEndOf(this.a);
    this.b.frontEnd = this.#frontEndOf(this.b);
    this.#options = options;
  }

  /** Runs `input` on `station` at virtual time `at` (for example a cancel mid-page). */
  inject(station: LoopbackStation, at: number, input: T30Input): void {
    this.clock.schedule(at, () => this.#deliver(station, input));
  }

  /** Starts both stations and runs until both have an outcome, nothing is left to do, or the time limit. */
  run(): void {
    this.#deliver(this.a, { type: 'start' });
    this.#deliver(this.b, { type: 'start' });
    const limit = this.#options.limitMs ?? 3_600_000;
    while (!(this.a.outcome && this.b.outcome)) {
      const next = this.#nextTime();
      if (next === undefined || next > limit) return;
      this.clock.setTime(next);
      if (this.clock.runDue()) continue;
      for (const station of [this.a, this.b]) {
        const deadline = station.session.nextDeadline();
        if (deadline !== undefined && deadline <= next) this.#perform(station, station.session.advance(next));
      }
    }
  }

  #nextTime(): number | undefined {
    const times = [this.clock.nextAt(), this.a.session.nextDeadline(), this.b.session.nextDeadline()];
    const defined = times.filter((t): t is number => t !== undefined);
    return defined.length ? Math.min(...defined) : undefined;
  }

  #deliver(station: LoopbackStation, input: T30Input): void {
    this.#perform(station, station.session.receive(input, this.clock.now));
  }

  #perform(station: LoopbackStation, outputs: readonly T30Output[]): void {
    for (const output of outputs) {
      if (output.type !== 'event') {
        station.frontEnd.perform(output, this.clock.now);
        continue;
      }
      station.events.push(output.event);
      this.#options.eventHook?.(output.event, station.name);
      if (output.event.type === 'outcome') station.outcome = output.event.outcome;
    }
  }

  /** The in-memory front end of one station: what a T.38 terminal does with the same outputs, minus the network. */
  #frontEndOf(station: LoopbackStation): T30FrontEnd {
    const performLineOutput = (output: T30LineOutput): void => {
      switch (output.type) {
        case 'stop-transmit':
          station.generation++;
          station.pending = 0;
          station.busyUntil = this.clock.now;
          break;
        case 'send-hdlc':
          this.#transmit(station, output.modem, this.#hdlcDeliveries(station, output.modem, output.frames));
          break;
        case 'send-tcf':
          this.#transmit(station, output.modem, this.#tcfDeliveries(output.modem, output.durationMs));
          break;
        case 'send-image':
          this.#transmit(station, output.modem, this.#imageDeliveries(output.modem, output.data));
          break;
        case 'set-receive-modem':
          // Like T.38, the loopback delivers whatever arrives whatever the receive modem.
          break;
      }
    };
    return { perform: performLineOutput };
  }

  /** Line time and input for each piece of a transmission. */
  #hdlcDeliveries(station: LoopbackStation, modem: LineModem, frames: readonly Uint8Array[]): [number, T30Input[]][] {
    return frames.map((bytes) => {
      station.sentFrames.push(bytes);
      return [frameMs(bytes, modem.bitRate), this.#impair(bytes, station.name)];
    });
  }

  #impair(bytes: Uint8Array, from: 'A' | 'B'): T30Input[] {
    const fate = this.#options.frameHook?.(bytes, from) ?? 'pass';
    if (fate === 'drop') return [];
    const copies = this.#options.link?.copies() ?? 1;
    const input: T30Input = { type: 'hdlc', bytes, fcsOk: fate === 'pass' };
    return Array.from({ length: copies }, () => input);
  }

  #tcfDeliveries(modem: LineModem, durationMs: number): [number, T30Input[]][] {
    const octets = Math.round((modem.bitRate * durationMs) / 8000);
    const data = new Uint8Array(octets);
    // Damaged TCF: one bit in error every 1/20 s, so no clean second survives.
    if (this.#options.damageTcf?.(modem)) for (let i = 0; i < octets; i += Math.ceil(octets / 30)) data[i] = 0x10;
    return [[durationMs, [{ type: 'training-received' }, { type: 'image-data', bytes: data }, { type: 'image-end' }]]];
  }

  #imageDeliveries(modem: LineModem, data: { read(max: number): Uint8Array }): [number, T30Input[]][] {
    const chunkOctets = Math.max(1, Math.round((modem.bitRate * IMAGE_CHUNK_MS) / 8000));
    const pieces: [number, T30Input[]][] = [[0, [{ type: 'training-received' }]]];
    for (let chunk = data.read(chunkOctets); chunk.length > 0; chunk = data.read(chunkOctets)) {
      pieces.push([(chunk.length * 8000) / modem.bitRate, [{ type: 'image-data', bytes: chunk.slice() }]]);
    }
    pieces.push([0, [{ type: 'image-end' }]]);
    return pieces;
  }

  #transmit(station: LoopbackStation, modem: LineModem, pieces: [number, T30Input[]][]): void {
    const latency = this.#options.latencyMs ?? 20;
    const generation = station.generation;
    let at =
      Math.max(this.clock.now, station.busyUntil) + (modem.modem === 'v21' ? V21_PREAMBLE_MS : IMAGE_TRAINING_MS);
    station.pending++;
    for (const [ms, inputs] of pieces) {
      at += ms;
      for (const input of inputs) {
        this.clock.schedule(at + latency, () => {
          if (station.generation === generation) this.#deliver(station.peer, input);
        });
      }
    }
    station.busyUntil = at + GAP_MS;
    this.clock.schedule(at, () => {
      if (station.generation !== generation) return;
      station.pending--;
      if (station.pending === 0) this.#deliver(station, { type: 'send-done' });
    });
  }
}
