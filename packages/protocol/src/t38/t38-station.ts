// One fax station on T.38 (T.38 §6, §9.1): a T.30 session on a T.38 terminal, exchanging UDPTL datagrams, sans-I/O.
//
// The driver passes datagrams in, sends the datagrams that come back, and calls `advance` at `nextDeadline()`.
// Datagrams a terminal step asks to repeat are sent again unchanged, so the far end drops the copies by seq-number.

import { DecodeError } from '../bits/decode-error.js';
import type { T30Event } from '../t30/front-end.js';
import type { T30Session } from '../t30/session.js';
import { T30Station } from '../t30/t30-station.js';
import { UdptlReceiver, type UdptlReceiverStats } from '../udptl/udptl-receiver.js';
import { UdptlSender } from '../udptl/udptl-sender.js';
import { decodeIfpPacket, encodeIfpPacket } from './ifp-packet.js';
import { T38Terminal, type T38TerminalOptions, type T38TerminalOutput } from './terminal.js';

export interface T38StationOptions extends T38TerminalOptions {
  /** UDPTL secondary IFPs per datagram (default 3). */
  readonly redundancy?: number;
  /** The far end's T38FaxMaxDatagram (default 400). */
  readonly maxDatagramSize?: number;
  /** Negotiated T38FaxVersion (default 0). */
  readonly version?: number;
  /** Called with every session event as it happens. */
  readonly onEvent?: (event: T30Event) => void;
}

export class T38Station extends T30Station {
  readonly terminal: T38Terminal;
  /** Datagrams that were not UDPTL or held an IFP that did not decode. */
  undecodable = 0;
  readonly #sender: UdptlSender;
  readonly #receiver = new UdptlReceiver();
  readonly #version: number;
  #datagrams: Uint8Array[] = [];

  constructor(session: T30Session, options: T38StationOptions) {
    const terminal = new T38Terminal(options);
    super(session, terminal, options.onEvent);
    this.terminal = terminal;
    this.#version = options.version ?? 0;
    this.#sender = new UdptlSender({
      redundancy: options.redundancy ?? 3,
      maxDatagramSize: options.maxDatagramSize ?? 400,
    });
  }

  /** The call is up: phase A signals go out and the session starts. */
  start(now: number): Uint8Array[] {
    this.#terminalOutputs(this.terminal.start(now), now);
    this.sessionInput({ type: 'start' }, now);
    this.#pump(now);
    return this.#take();
  }

  /** Cancels the call locally (the session sends DCN and ends with `local-cancel`). */
  cancel(now: number): Uint8Array[] {
    this.sessionInput({ type: 'cancel' }, now);
    this.#pump(now);
    return this.#take();
  }

  /** The write a durable sink started for the page in hand has ended; the session answers the page now. */
  pageStored(ok: boolean, now: number): Uint8Array[] {
    this.sessionInput({ type: 'page-stored', ok }, now);
    this.#pump(now);
    return this.#take();
  }

  /** The record the call layer made of a page the receiver confirmed has ended; the sender goes on now. */
  pageRecorded(now: number): Uint8Array[] {
    this.sessionInput({ type: 'page-recorded' }, now);
    this.#pump(now);
    return this.#take();
  }

  /** What the UDPTL receiver has seen so far: IFPs delivered, recovered from redundancy, and lost for good. */
  get udptlStats(): Readonly<UdptlReceiverStats> {
    return this.#receiver.stats;
  }

  receiveDatagram(datagram: Uint8Array, now: number): Uint8Array[] {
    let deliveries: ReturnType<UdptlReceiver['receive']>;
    try {
      deliveries = this.#receiver.receive(datagram);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.undecodable++;
      return [];
    }
    for (const delivery of deliveries) {
      if (delivery.type === 'lost') {
        this.#terminalOutputs(this.terminal.lost(now), now);
        continue;
      }
      try {
        const packet = decodeIfpPacket(delivery.ifp, { version: this.#version });
        this.#terminalOutputs(this.terminal.receive(packet, now), now);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        this.undecodable++;
      }
    }
    this.#pump(now);
    return this.#take();
  }

  advance(now: number): Uint8Array[] {
    this.sessionOutputs(this.session.advance(now), now);
    this.#pump(now);
    return this.#take();
  }

  nextDeadline(): number | undefined {
    const session = this.session.nextDeadline();
    const terminal = this.terminal.nextDeadline();
    if (session === undefined) return terminal;
    return terminal === undefined ? session : Math.min(session, terminal);
  }

  /** The session has ended and the last of its signals (DCN) has gone out. */
  get finished(): boolean {
    return this.outcome !== undefined && this.terminal.nextDeadline() === undefined;
  }

  /** Runs the terminal until nothing more is due: a `send-done` may make the session queue the next signal. */
  #pump(now: number): void {
    for (let outputs = this.terminal.advance(now); outputs.length > 0; outputs = this.terminal.advance(now)) {
      this.#terminalOutputs(outputs, now);
    }
  }

  #terminalOutputs(outputs: readonly T38TerminalOutput[], now: number): void {
    for (const output of outputs) {
      if (output.type === 'input') {
        this.sessionInput(output.input, now);
        continue;
      }
      const datagram = this.#sender.send(encodeIfpPacket(output.packet, { version: this.#version }));
      for (let i = 0; i < output.repeats; i++) this.#datagrams.push(datagram);
    }
  }

  #take(): Uint8Array[] {
    const out = this.#datagrams;
    this.#datagrams = [];
    return out;
  }
}
