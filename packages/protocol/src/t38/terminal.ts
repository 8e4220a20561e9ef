// The T.38 terminal (T.38 §6, §8): a sans-I/O front end between a T.30 session and IFP packets, paced in line time.
//
// Session outputs queue as transmissions; `advance(now)` releases each IFP when its line time has come, leaving the
// T.30 gap of 75 ms between signals, and hands back `send-done` once the queue has drained. Received IFPs become
// session inputs. Phase A is the terminal's: the caller announces CNG, the answerer CED for 3 s before its DIS.

import type { FrontEndInput, LineModem, T30FrontEnd, T30LineOutput } from '../t30/front-end.js';
import type { IfpPacket } from './ifp-packet.js';
import { ReceiveAssembler } from './receive-assembler.js';
import { hdlcSteps, imageSteps, indicatorStep, type TransmitStep, tcfSteps } from './transmit-steps.js';

export interface T38TerminalOptions {
  readonly role: 'calling' | 'answering';
  /** Line time each data IFP carries (default 30 ms: one octet per IFP at 300 bit/s, like SpanDSP). */
  readonly chunkMs?: number;
  /** Gap between the end of one signal and the start of the next (T.30: 75 ms ± 20 ms). */
  readonly gapMs?: number;
  /** How long an open signal may stay silent before it counts as ended (a peer's lost or missing sig-end). */
  readonly signalTimeoutMs?: number;
}

export type T38TerminalOutput =
  | { readonly type: 'ifp'; readonly packet: IfpPacket; readonly repeats: number }
  | { readonly type: 'input'; readonly input: FrontEndInput };

type Transmission = Extract<T30LineOutput, { type: 'send-hdlc' | 'send-tcf' | 'send-image' }>;

/** CED lasts 2.6 s to 4 s (T.30 §4.3.2). */
const CED_MS = 3000;
/**
 * CNG is 0.5 s of tone every 3.5 s (T.30 §4.3.1) until the called station answers. The caller repeats the indicator
 * at that cadence, so an answerer that missed the first one (lost, or the gateway was not listening yet) still hears
 * a call starting.
 */
const CNG_PERIOD_MS = 3500;

export class T38Terminal implements T30FrontEnd {
  readonly #options: Required<T38TerminalOptions>;
  readonly #queue: Transmission[] = [];
  readonly #assembler = new ReceiveAssembler();
  #out: T38TerminalOutput[] = [];
  #steps: Iterator<TransmitStep> | undefined;
  /** When the next step may go out (or, when idle, when the next signal may start). */
  #nextStepAt = 0;
  #sessionTransmitting = false;
  #lastImageRate: string | undefined;
  #signalDeadline: number | undefined;
  /** When the calling tone is announced again, while the caller has heard nothing. */
  #cngAt: number | undefined;

  constructor(options: T38TerminalOptions) {
    this.#options = { chunkMs: 30, gapMs: 75, signalTimeoutMs: 2000, ...options };
  }

  /** Begins phase A; the session should be started at the same time. */
  start(now: number): T38TerminalOutput[] {
    this.#nextStepAt = now;
    if (this.#options.role === 'calling') {
      this.#emitStep(indicatorStep('cng', 0));
      this.#cngAt = now + CNG_PERIOD_MS;
    } else this.#steps = [indicatorStep('ced', CED_MS), indicatorStep('no-signal', 0)][Symbol.iterator]();
    return this.advance(now);
  }

  /** Queues one session output (T30FrontEnd); call `advance(now)` afterwards to collect packets. */
  perform(output: T30LineOutput, now: number): void {
    if (output.type !== 'set-receive-modem') this.#cngAt = undefined;
    // T.38 names the modulation in every packet, so there is no receive modem to choose.
    if (output.type === 'set-receive-modem') return;
    if (output.type === 'stop-transmit') {
      this.#queue.length = 0;
      if (this.#steps) this.#emitStep(indicatorStep('no-signal', 0));
      this.#steps = undefined;
      this.#sessionTransmitting = false;
      return;
    }
    if (!this.#steps && this.#queue.length === 0) this.#nextStepAt = Math.max(this.#nextStepAt, now);
    this.#queue.push(output);
    this.#sessionTransmitting = true;
  }

  /** Sends every step that is due by `now`. */
  advance(now: number): T38TerminalOutput[] {
    if (this.#cngAt !== undefined && this.#cngAt <= now && !this.#steps && this.#queue.length === 0) {
      this.#emitStep(indicatorStep('cng', 0));
      this.#cngAt += CNG_PERIOD_MS;
    }
    while (this.#nextStepAt <= now) {
      if (!this.#steps && !this.#beginNext()) break;
      const step = (this.#steps as Iterator<TransmitStep>).next();
      if (step.done) {
        this.#steps = undefined;
        this.#nextStepAt += this.#options.gapMs;
        if (this.#queue.length === 0) this.#reportDrained();
        continue;
      }
      this.#emitStep(step.value);
      this.#nextStepAt += step.value.waitMs;
    }
    if (this.#signalDeadline !== undefined && this.#signalDeadline <= now) {
      this.#signalDeadline = undefined;
      this.#emitInputs(this.#assembler.endSignal());
    }
    return this.#take();
  }

  nextDeadline(): number | undefined {
    const transmit = this.#steps || this.#queue.length > 0 ? this.#nextStepAt : undefined;
    const deadlines = [transmit, this.#signalDeadline, this.#cngAt].filter((at): at is number => at !== undefined);
    return deadlines.length > 0 ? Math.min(...deadlines) : undefined;
  }

  /** The session has ended (with or without an answer): the calling tone stops. */
  sessionEnded(): void {
    this.#cngAt = undefined;
  }

  /** One IFP from the peer, in UDPTL sequence order. */
  receive(packet: IfpPacket, now: number): T38TerminalOutput[] {
    this.#cngAt = undefined;
    this.#emitInputs(this.#assembler.receive(packet));
    this.#signalDeadline = this.#assembler.signalOpen ? now + this.#options.signalTimeoutMs : undefined;
    return this.#take();
  }

  /** IFPs the UDPTL receiver could not recover. */
  lost(now: number): T38TerminalOutput[] {
    this.#emitInputs(this.#assembler.lost());
    if (this.#assembler.signalOpen) this.#signalDeadline = now + this.#options.signalTimeoutMs;
    return this.#take();
  }

  /** The session hears `send-done` when the last signal it queued has ended, before the gap (T4 counts from there). */
  #reportDrained(): void {
    if (!this.#sessionTransmitting) return;
    this.#sessionTransmitting = false;
    this.#out.push({ type: 'input', input: { type: 'send-done' } });
  }

  /** Starts the next queued transmission; false when there is none. */
  #beginNext(): boolean {
    const output = this.#queue.shift();
    if (!output) return false;
    const { chunkMs } = this.#options;
    const long = this.#longTraining(output.modem);
    if (output.type === 'send-hdlc') this.#steps = hdlcSteps(output.modem, output.frames, long, chunkMs);
    else if (output.type === 'send-tcf') this.#steps = tcfSteps(output.modem, output.durationMs, chunkMs);
    else this.#steps = imageSteps(output.modem, output.data, long, chunkMs);
    return true;
  }

  /** V.17 trains long when its rate is new (TCF, after a fallback) and short for later pages of the same rate. */
  #longTraining(modem: LineModem): boolean {
    if (modem.modem === 'v21') return true;
    const rate = `${modem.modem}/${modem.bitRate}`;
    const long = rate !== this.#lastImageRate;
    this.#lastImageRate = rate;
    return long;
  }

  #emitStep(step: TransmitStep): void {
    this.#out.push({ type: 'ifp', packet: step.packet, repeats: step.repeats });
  }

  #emitInputs(inputs: readonly FrontEndInput[]): void {
    for (const input of inputs) this.#out.push({ type: 'input', input });
  }

  #take(): T38TerminalOutput[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}
