// One fax station on G.711 RTP (RFC 3550, RFC 3551 PCMU/PCMA; audio-fax reference §1.4): an audio fax station whose
// samples travel as 20 ms packets, sans-I/O like the T.38 station, so the same driver and datagram link serve both.
//
// Packets go out on an absolute schedule, one per 20 ms from `start`; `advance(now)` makes every packet due by `now`
// (a late wake-up sends the backlog at once, so timestamps stay continuous). Arriving audio goes to the modems in
// sequence order as it comes, with no playout clock (audio-fax reference §1.4): a lost packet is a gap for their
// fill-in, and no sample is ever dropped or inserted, however late the driver runs or whoever's clock is off.

import { RtpAudioReceiver } from '../audio/rtp-audio-receiver.js';
import { RtpPacketiser, SAMPLES_PER_PACKET } from '../audio/rtp-packetiser.js';
import type { AudioSelection } from '../sdp/audio-offer-answer.js';
import type { T30Event } from '../t30/front-end.js';
import type { T30Outcome } from '../t30/outcome.js';
import type { T30Session } from '../t30/session.js';
import { AudioFaxStation } from './audio-fax-station.js';
import { RtpSequencer, type SequencedAudio } from './rtp-sequencer.js';

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

/**
 * Wakes without any of the far end's audio (it stopped sending, or is gone) after which each further tick is heard as
 * a packet's worth of missing audio, so the modems' carriers can drop and T.30 goes on; audio that comes later still
 * follows in order. A far clock that runs slow only delays the audio, never counts as an outage. Wakes, not ticks: the
 * overdue ticks a late wake plays one after another could have heard nothing between them (a process that stalled,
 * the far end's overdue packets still to be sent), so only the first of them counts.
 */
const OUTAGE_WAKES = 10;

/** A packet's worth of missing audio, for the ticks of an outage; the modems only read it. */
const OUTAGE: SequencedAudio = {
  samples: new Int16Array(SAMPLES_PER_PACKET),
  missing: new Uint8Array(SAMPLES_PER_PACKET).fill(1),
};

export class RtpFaxStation {
  readonly audio: AudioFaxStation;
  readonly #packetiser: RtpPacketiser;
  readonly #receiver: RtpAudioReceiver;
  readonly #sequencer = new RtpSequencer();
  /** Our next 20 ms, reused: the packetiser copies what it is given. */
  readonly #out = new Int16Array(SAMPLES_PER_PACKET);
  /** Wakes in a row that brought none of the far end's audio. */
  #quietWakes = 0;
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

  pageRecorded(now: number): Uint8Array[] {
    this.audio.pageRecorded();
    return this.advance(now);
  }

  /**
   * A datagram from the far end: its audio goes to the modems at the next tick, in sequence order. Nothing is played
   * here, so after a stall every datagram queued meanwhile is in before the overdue ticks play (played on the first of
   * them, the rest would come too late for their ticks and be taken for losses).
   */
  receiveDatagram(datagram: Uint8Array, _now: number): Uint8Array[] {
    const arrival = this.#receiver.receive(datagram);
    if (arrival.kind === 'audio') {
      this.#sequencer.push(arrival.packet.sequenceNumber, arrival.samples, arrival.packet.ssrc);
    }
    return [];
  }

  /** Sends every packet due by `now`, each after handing the modems what arrived in order before it. */
  advance(now: number): Uint8Array[] {
    const startedAt = this.#startedAt;
    if (startedAt === undefined) return [];
    let firstTick = true;
    while (!this.finished && startedAt + this.#ticks * PACKET_MS <= now) {
      const heard = this.#heard(firstTick);
      firstTick = false;
      this.audio.exchange(heard.samples, this.#out, heard.missing);
      for (const datagram of this.#packetiser.push(this.#out)) this.#datagrams.push(datagram);
      this.#ticks++;
    }
    const datagrams = this.#datagrams;
    this.#datagrams = [];
    return datagrams;
  }

  /**
   * The far end's audio in order since the last tick; in an outage, a packet's worth of missing audio. `firstTick`: the
   * first tick of a wake, the one that counts toward an outage.
   */
  #heard(firstTick: boolean): SequencedAudio {
    const taken = this.#sequencer.take();
    if (taken.samples.length > 0) this.#quietWakes = 0;
    else if (firstTick) this.#quietWakes++;
    if (this.#quietWakes < OUTAGE_WAKES) return taken;
    return OUTAGE;
  }

  /** The next packet's time; none once the call is over (the stream stops with the last signal). */
  nextDeadline(): number | undefined {
    if (this.#startedAt === undefined || this.finished) return undefined;
    return this.#startedAt + this.#ticks * PACKET_MS;
  }
}
