// The T.38 media leg (T.38 §9.1, UDPTL over UDP): a fax station driven in real time over a datagram link, with a
// limit on the call's length; T.38 lines, SIP calls and `fax terminal` all run their faxes through it.

import { type T30Event, type T30Outcome, T38Station } from '@faxd/protocol';
import { type Clock, realClock } from './clock.js';
import { CoreDriver } from './core-driver.js';
import type { LineCallResult } from './fax-line.js';
import { createFaxStation, type FaxStation, type FaxStationOptions } from './fax-station.js';
import type { DatagramLink, MediaLeg } from './media-leg.js';
import { audioTickClock, type SharedTick } from './shared-tick.js';

/** No call lasts longer than this unless told otherwise: the T.30 timers end a silent one long before. */
const CALL_LIMIT_MS = 60 * 60 * 1000;

export interface UdptlLegOptions {
  readonly station: FaxStationOptions;
  readonly link: DatagramLink;
  /** The outcome of a fax cut before it had one: `local-cancel` toward a fixed peer, `remote-disconnected` in SIP. */
  readonly cutOutcome: T30Outcome;
  /** The station is cancelled after this long. */
  readonly limitMs?: number;
  readonly clock?: Clock;
  /** See CoreDriverOptions. */
  readonly onLateness?: (ms: number) => void;
}

/** The session events that only a frame from the far end brings (DIS or DTC, its identity, DCS…). */
const FAR_FRAME_EVENTS: ReadonlySet<T30Event['type']> = new Set([
  'remote-ident',
  'remote-capabilities',
  'remote-non-standard',
  'remote-address',
  'negotiated',
]);

export class UdptlLeg implements MediaLeg {
  readonly done: Promise<LineCallResult>;
  readonly #fax: FaxStation;
  readonly #driver: CoreDriver<readonly Uint8Array[]>;
  readonly #clock: Clock;
  /** Audio on the process's shared tick: the station's packet schedule starts on its grid. */
  readonly #tick: SharedTick | undefined;
  readonly #limitMs: number;
  #cancelLimit: () => void = () => {};
  #heardFax = false;

  constructor(options: UdptlLegOptions) {
    const { onEvent, recordConfirmed } = options.station;
    this.#fax = createFaxStation({
      ...options.station,
      onEvent: (event, report) => {
        if (FAR_FRAME_EVENTS.has(event.type)) this.#heardFax = true;
        onEvent?.(event, report);
        // A sender's page confirmed: the session holds its next step until the record is written (II_RECORD).
        if (recordConfirmed && event.type === 'page-done' && event.result !== 'RTN') {
          const recorded = () => this.#driver.run((now) => this.#fax.station.pageRecorded(now));
          void recordConfirmed(report).then(recorded, recorded);
        }
      },
    });
    // Audio plays what has arrived at each 20 ms tick, one timer serving every call (see audioTickClock); T.38 takes
    // each datagram as it comes.
    const audio = options.station.media !== undefined && options.station.media !== 't38';
    this.#tick = !options.clock && audio ? audioTickClock() : undefined;
    this.#clock = options.clock ?? this.#tick ?? realClock();
    this.#limitMs = options.limitMs ?? CALL_LIMIT_MS;
    const { link } = options;
    this.#driver = new CoreDriver<readonly Uint8Array[]>(
      this.#fax.station,
      (datagrams) => {
        for (const datagram of datagrams) link.send(datagram);
      },
      {
        clock: this.#clock,
        ...(options.onLateness && { onLateness: options.onLateness }),
        ...(options.station.mayContinue && { mayContinue: options.station.mayContinue }),
      },
    );
    this.#fax.sink.onStored = (ok) => this.#driver.run((now) => this.#fax.station.pageStored(ok, now));
    this.done = this.#driver.done.then(async (): Promise<LineCallResult> => {
      this.#cancelLimit();
      await link.release();
      const { station, report, sink } = this.#fax;
      const udptl = station instanceof T38Station ? { udptl: { ...station.udptlStats } } : {};
      const received = sink.confirmedPages(report.confirmed);
      return { report, outcome: station.outcome ?? options.cutOutcome, received, ...udptl };
    });
  }

  start(): void {
    this.#cancelLimit = this.#clock.wakeAt(this.#clock.now() + this.#limitMs, () => this.cancel());
    // A start up to one grid step back only makes the first packet due at once.
    this.#driver.run((now) => this.#fax.station.start(this.#tick ? this.#tick.gridFloor(now) : now));
  }

  receive(datagram: Uint8Array): void {
    this.#driver.run((now) => this.#fax.station.receiveDatagram(datagram, now));
  }

  cancel(): void {
    if (!this.#fax.station.finished) this.#driver.run((now) => this.#fax.station.cancel(now));
  }

  abandon(): void {
    this.#driver.stop();
  }

  get finished(): boolean {
    return this.#fax.station.finished;
  }

  get heardFax(): boolean {
    return this.#heardFax;
  }

  get hasOutcome(): boolean {
    return this.#fax.station.outcome !== undefined;
  }
}
