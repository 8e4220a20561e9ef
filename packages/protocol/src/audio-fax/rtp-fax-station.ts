// One fax station on G.711 RTP (RFC 3550, RFC 3551 PCMU/PCMA; audio-fax reference §1.4): an audio fax station whose
// samples travel as 20 ms packets, sans-I/O like the T.38 station, so the same driver and datagram link serve both.
//
// Packets go out on an absolute schedule, one per 20 ms from `start`; `advance(now)` makes every packet due by `now`
// (a late wake-up sends the backlog at once, so timestamps stay continuous). Arriving datagrams are decoded and held in
// a jitter buffer, which each tick plays 20 ms out of, missing samples flagged for the modems' fill-in.

import { JitterBuffer } from '../audio/jitter-buffer.js';
import { RtpAudioReceiver } from '../audio/rtp-audio-receiver.js';
import { RtpPacketiser, SAMPLES_PER_PACKET } from '../audio/rtp-packetiser.js';
import type { AudioSelection } from '../sdp/audio-offer-answer.js';
import type { T30Event } from '../t30/front-end.js';
import type { T30Outcome } from '../t30/outcome.js';
import type { T30Session } from '../t30/session.js';
import { AudioFaxStation } from './audio-fax-station.js';

export interface RtpFaxStationOptions {
  readonly role: 'calling' | 'answering';
  /** The negotiated codec and payload types (from the SDP, or `fax terminal --media`). */
  readonly selection: AudioSelection;
  /** RFC 3550 §5.1 wants these random; the driver picks them so the core stays deterministic. */
  readonly ssrc: number;
  readonly firstSequenceNumber: number;
  readonly firstTimestamp: number;
  /** Called with every session event as it happens. */
  readonly onEvent?: (event: T30Event) => void;
}

/** RFC 3551 §4.5: 20 ms packets. */
const PACKET_MS = 20;
const SAMPLES_PER_MS = SAMPLES_PER_PACKET / PACKET_MS;

export class RtpFaxStation {
  readonly audio: AudioFaxStation;
  readonly #packetiser: RtpPacketiser;
  readonly #receiver: RtpAudioReceiver;
  readonly #buffer = new JitterBuffer();
  readonly #heard = new Int16Array(SAMPLES_PER_PACKET);
  /** When the first packet went out (the driver's clock), or undefined before `start`. */
  #startedAt: number | undefined;
  /** Packets sent so far: the next is due at startedAt + ticks · 20 ms. */
  #ticks = 0;
  #datagrams: Uint8Array[] = [];

  constructor(session: T30Session, options: RtpFaxStationOptions) {
    this.audio = new AudioFaxStation(session, options);
    this.#packetiser = new RtpPacketiser({
      selection: options.selection,
      ssrc: options.ssrc,
      firstSequenceNumber: options.firstSequenceNumber,
      firstTimestamp: options.firstTimestamp,
    });
    this.#receiver = new RtpAudioReceiver(options.selection);
  }

  get session(): T30Session {
    return this.audio.session;
  }

  get events(): readonly T30Event[] {
    return this.audio.events;
  }

  get outcome(): T30Outcome | undefined {
    return this.audio.outcome;
  }

  /** Datagrams that were not RTP, or RTP this call does not carry (another payload type), counted and dropped. */
  get ignoredDatagrams(): number {
    return this.#receiver.stats.malformed + this.#receiver.stats.ignored;
  }

  /** The session has ended and its last signal (DCN) has been sent. */
  get finished(): boolean {
    return this.audio.finished;
  }

  /** The call is up: the stream starts now with its first packet, phase A with it. */
  start(now: number): Uint8Array[] {
    if (this.#startedAt !== undefined) return [];
    this.#startedAt = now;
    this.audio.start();
    return this.advance(now);
  }

  cancel(now: number): Uint8Array[] {
    this.audio.cancel();
    return this.advance(now);
  }

  pageStored(ok: boolean, now: number): Uint8Array[] {
    this.audio.pageStored(ok);
    return this.advance(now);
  }

  /** A datagram from the far end: its audio waits in the jitter buffer for the tick that plays it. */
  receiveDatagram(datagram: Uint8Array, now: number): Uint8Array[] {
    const arrival = this.#receiver.receive(datagram);
    if (arrival.kind === 'audio' && this.#startedAt !== undefined) {
      const at = Math.max(0, Math.floor((now - this.#startedAt) * SAMPLES_PER_MS));
      this.#buffer.push({ ...arrival.packet, samples: arrival.samples }, at);
    }
    return [];
  }

  /** Sends every packet due by `now`, each after playing the 20 ms heard before it to the modems. */
  advance(now: number): Uint8Array[] {
    const startedAt = this.#startedAt;
    if (startedAt === undefined) return [];
    while (!this.finished && startedAt + this.#ticks * PACKET_MS <= now) {
      const tickSample = this.#ticks * SAMPLES_PER_PACKET;
      const frame = this.#buffer.pull(tickSample, this.#heard);
      const out = new Int16Array(SAMPLES_PER_PACKET);
      this.audio.exchange(this.#heard, out, frame.missing);
      for (const datagram of this.#packetiser.push(out)) this.#datagrams.push(datagram);
      this.#ticks++;
    }
    const datagrams = this.#datagrams;
    this.#datagrams = [];
    return datagrams;
  }

  /** The next packet's time; none once the call is over (the stream stops with the last signal). */
  nextDeadline(): number | undefined {
    if (this.#startedAt === undefined || this.finished) return undefined;
    return this.#startedAt + this.#ticks * PACKET_MS;
  }
}
