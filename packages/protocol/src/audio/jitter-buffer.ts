// A receive jitter buffer for one G.711 RTP stream (RFC 3550 §5.1 timestamps; audio-fax §1.4, §4.3 on what fax needs).

/** One packet's audio as the RtpAudioReceiver decoded it. */
export interface JitterPacket {
  /** The RTP stream's SSRC: a change means a new stream (a sender restarted, or a re-INVITE moved the media). */
  readonly ssrc?: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly samples: Int16Array;
}

export interface JitterBufferOptions {
  /** Samples held before playout starts, measured from the first packet's arrival: 320 (40 ms) unless given. */
  readonly initialDepth?: number;
  /** The most headroom before the buffer drops samples even inside a signal: 960 (120 ms) unless given. */
  readonly maxDepth?: number;
}

/**
 * What one `pull` played. Samples no packet supplied — lost, late, not yet begun, or inserted to slow playout — are
 * written as silence and flagged in `missing`, so a modem can run its fill-in over them (advance its carrier and
 * timing without taking symbols) rather than demodulate a hole or a copy.
 */
export interface JitterFrame {
  /** False until the first packet has been held for the initial depth. */
  readonly playing: boolean;
  /** 1 for each sample of the frame no packet supplied; only the first `length` entries are meaningful. */
  readonly missing: Uint8Array;
  readonly missingCount: number;
}

export interface JitterBufferStats {
  /** Packets taken into the buffer. */
  accepted: number;
  /** Packets whose sequence number was seen already. */
  duplicates: number;
  /** Packets that arrived after some of their samples had been played (the unplayed rest is still used). */
  late: number;
  /** Samples played as missing while playing (lost, late or inserted). */
  missingSamples: number;
  /** Samples dropped to catch up with a sender whose clock runs fast, or after jitter calmed. */
  droppedSamples: number;
  /** Samples inserted to fall back behind a slow sender, or to make room for more jitter. */
  insertedSamples: number;
  /** Depth corrections made in silence (between signals), as a far gateway resynchronises (audio-fax §1.4). */
  quietCorrections: number;
  /**
   * Corrections made inside a signal: a single sample when no silence came in time, or the whole way back to the
   * target headroom after a late packet.
   */
  forcedCorrections: number;
  /** Times the buffer started over: a new SSRC, or a stream that jumped more than 10 s (a restarted sender). */
  restarts: number;
}

/**
 * Headroom: the least margin (how long before the pull that plays its first sample a packet arrives) of recent
 * packets is kept between LOW_HEADROOM and HIGH_HEADROOM. Playout starts with a margin of 320–480 (the initial depth
 * rounded up to the next tick) less the jitter. A packet is due at a pull, so only whole frames move its deadline: a
 * correction in silence inserts or drops one whole frame, moving every margin by exactly a frame. The band is 60 ms
 * wide, so a sender off by 100 ppm (0.8 samples a second) needs a correction only every few minutes.
 */
const LOW_HEADROOM = 80;
const HIGH_HEADROOM = 560;
/**
 * Below this headroom the next packet may come late: correct at once, silence or not, one sample per frame, so the
 * playout point reaches the next frame within 160 frames (3.2 s, in which even a sender 300 ppm slow drifts only 8
 * samples).
 */
const FORCE_HEADROOM = 20;
/** Packets whose margins are remembered: 250, 5 s at 20 ms, so a jitter spike keeps the depth up for a while. */
const MARGIN_WINDOW = 250;
/** Recent sequence numbers remembered for duplicate detection (10 s at 20 ms). */
const SEQUENCE_WINDOW = 512;
/** A sample this small counts as silence: about −50 dBm0, below every fax signal's carrier-off level. */
const SILENCE_AMPLITUDE = 64;
/** A timestamp further than this from the playout point means the stream started over (10 s). */
const RESTART_DISTANCE = 80_000;

interface Stored {
  /** Extended (unwrapped) timestamp of the first sample. */
  readonly ts: number;
  readonly samples: Int16Array;
}

/**
 * Why silence for a gap, never a repeat: a modem's carrier detect (2 ms time constant) drops on a hole of zeros, and a
 * repeated packet is worse — it carries on with a jump of phase and symbol timing at both ends, so the demodulator
 * slices 160 samples of wrong symbols and its loops are kicked off lock. Neither is what a fax wants; the flag in
 * JitterFrame.missing lets the front end call the modem's fill-in, which measured as 35–44 bit errors for a lost packet
 * at V.17 14400 against a lost page for zeros (audio-fax §4.3). Silence is what a tone detector or anything that
 * ignores the flag sees, and it invents nothing.
 *
 * Why corrections wait for silence: every drop or insert slips the modem's symbol clock, so the buffer corrects its
 * depth only when the frame about to play is silent (the 75 ms gaps between fax signals come at least every few
 * seconds), a whole frame at once. Only if the headroom is about to run out does it correct inside a signal, one
 * sample per frame, which a receiver's timing loop follows best.
 */
export class JitterBuffer {
  readonly #initialDepth: number;
  readonly #maxDepth: number;
  readonly #stored: Stored[] = [];
  readonly #sequences = new Int32Array(SEQUENCE_WINDOW).fill(-1);
  /** Extended timestamp and arrival time of recent packets, from which their margins are worked out afresh. */
  readonly #recentTs = new Float64Array(MARGIN_WINDOW);
  readonly #recentArrival = new Float64Array(MARGIN_WINDOW);
  #marginCount = 0;
  #marginNext = 0;
  #missing = new Uint8Array(0);
  readonly #frame = { playing: false, missing: this.#missing, missingCount: 0 };
  /** Last 32-bit timestamp seen and its extended value, for unwrapping. */
  #lastTimestamp = 0;
  #lastExtended = 0;
  #started = false;
  #ssrc: number | undefined;
  #firstArrival = 0;
  #firstTs = 0;
  #playing = false;
  /** Extended timestamp of the next sample to play. */
  #playTs = 0;
  /** Local time of the next sample to play, minus #playTs: a packet at ts is played at ts + offset. */
  #offset = 0;
  /** Local time of the first pull; pulls follow every #frameLength samples. */
  #gridOrigin = 0;
  #frameLength = 160;
  /** The previous played sample, repeated by a forced insert. */
  #previous = 0;
  readonly stats: JitterBufferStats = {
    accepted: 0,
    duplicates: 0,
    late: 0,
    missingSamples: 0,
    droppedSamples: 0,
    insertedSamples: 0,
    quietCorrections: 0,
    forcedCorrections: 0,
    restarts: 0,
  };

  constructor(options: JitterBufferOptions = {}) {
    this.#initialDepth = options.initialDepth ?? 320;
    this.#maxDepth = options.maxDepth ?? 960;
    if (!(this.#initialDepth >= 0 && this.#maxDepth > HIGH_HEADROOM)) {
      throw new RangeError(`jitter buffer depths ${this.#initialDepth} / ${this.#maxDepth} are not usable`);
    }
  }

  /**
   * The least margin, in samples, of the packets of the last few seconds: how much later than they did they could
   * have arrived and still played, with playout where it is now. Undefined before playout starts.
   */
  get headroom(): number | undefined {
    if (!this.#playing || this.#marginCount === 0) return undefined;
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#marginCount; i++) {
      least = Math.min(least, this.#dueTime(this.#recentTs[i]) - this.#recentArrival[i]);
    }
    return least;
  }

  /** The local time of the pull that plays the sample at extended timestamp `ts`: the start of its frame. */
  #dueTime(ts: number): number {
    const local = ts + this.#offset;
    const frame = this.#frameLength;
    return local - ((((local - this.#gridOrigin) % frame) + frame) % frame);
  }

  /** Samples held from the playout point to the end of the latest packet: 0 once a stream that stopped has drained. */
  get bufferedSamples(): number {
    const last = this.#stored.at(-1);
    if (last === undefined) return 0;
    return Math.max(0, last.ts + last.samples.length - (this.#playing ? this.#playTs : this.#firstTs));
  }

  /**
   * Takes a packet that arrived at local sample time `arrival`: the same clock as `pull`'s `now`, read when the
   * datagram came in (stamping it with the next tick instead would hide how close to its deadline it was).
   */
  push(packet: JitterPacket, arrival: number): void {
    if (packet.samples.length === 0) return;
    const newSource = this.#started && packet.ssrc !== undefined && packet.ssrc !== this.#ssrc;
    const slot = packet.sequenceNumber & (SEQUENCE_WINDOW - 1);
    if (!newSource && this.#sequences[slot] === packet.sequenceNumber) {
      this.stats.duplicates++;
      return;
    }
    this.#sequences[slot] = packet.sequenceNumber;
    let ts = this.#extend(packet.timestamp);
    if (!this.#started) {
      this.#started = true;
      this.#firstArrival = arrival;
      this.#firstTs = ts;
      this.#ssrc = packet.ssrc;
    } else if (newSource || Math.abs(ts - (this.#playing ? this.#playTs : this.#firstTs)) > RESTART_DISTANCE) {
      this.#restart(packet, arrival);
      ts = this.#lastExtended;
    }
    this.stats.accepted++;
    let samples = packet.samples;
    if (this.#playing) {
      this.#remember(ts, arrival);
      const played = this.#playTs - ts;
      if (played > 0) {
        this.stats.late++;
        if (played >= samples.length) return;
        samples = samples.subarray(played);
        ts += played;
      }
    }
    this.#insert({ ts, samples });
  }

  /**
   * Plays the next `out.length` samples (160 per 20 ms tick) into `out` at local sample time `now`. Playout starts at
   * the first pull at least the initial depth after the first packet's arrival; after that the buffer keeps its own
   * count of samples played, so a late or early tick does not shift the audio.
   */
  pull(now: number, out: Int16Array): JitterFrame {
    if (this.#missing.length < out.length) {
      this.#missing = new Uint8Array(out.length);
      this.#frame.missing = this.#missing;
    }
    const missing = this.#missing;
    if (!this.#playing && this.#started && now >= this.#firstArrival + this.#initialDepth) {
      this.#playing = true;
      // The first packet to arrive may have overtaken earlier ones; play from the earliest held.
      this.#playTs = Math.min(this.#firstTs, this.#stored[0]?.ts ?? this.#firstTs);
      this.#offset = now - this.#playTs;
      this.#gridOrigin = now;
    }
    this.#frameLength = out.length;
    if (!this.#playing) {
      out.fill(0);
      missing.fill(1, 0, out.length);
      return this.#finish(false, out.length);
    }
    const correction = this.#correctionFor(out.length);
    let read = this.#playTs;
    let written = 0;
    if (correction < 0) {
      // Insert: the frame starts with |correction| samples no packet supplied, and the playout point stays put.
      const count = -correction;
      out.fill(count === 1 ? this.#previous : 0, 0, count);
      missing.fill(1, 0, count);
      written = count;
      this.stats.insertedSamples += count;
      this.#offset += count;
    } else if (correction > 0) {
      read += correction;
      this.stats.droppedSamples += correction;
      this.#offset -= correction;
    }
    let missingCount = written;
    missingCount += this.#copy(read, out, missing, written);
    this.#playTs = read + out.length - written;
    this.#discardPlayed();
    this.#previous = out[out.length - 1];
    this.stats.missingSamples += missingCount;
    return this.#finish(true, missingCount);
  }

  #finish(playing: boolean, missingCount: number): JitterFrame {
    this.#frame.playing = playing;
    this.#frame.missingCount = missingCount;
    return this.#frame;
  }

  /**
   * Samples to drop (positive) or insert (negative) in this frame: a whole frame when the headroom has left its band
   * and the samples concerned are silent, one sample when it has left the forced band, else none.
   */
  #correctionFor(frameLength: number): number {
    const headroom = this.headroom;
    if (headroom === undefined) return 0;
    if (headroom < LOW_HEADROOM && this.#silent(this.#playTs, frameLength)) {
      this.stats.quietCorrections++;
      return -frameLength;
    }
    if (headroom > HIGH_HEADROOM && this.#silent(this.#playTs, 2 * frameLength)) {
      this.stats.quietCorrections++;
      return frameLength;
    }
    if (headroom < 0) {
      // A packet came too late and has already left a hole: step a whole frame back at once, so the next ones are in
      // time, rather than lose more while creeping back a sample at a time.
      this.stats.forcedCorrections++;
      return -frameLength;
    }
    if (headroom < FORCE_HEADROOM || headroom > this.#maxDepth) {
      this.stats.forcedCorrections++;
      return headroom < FORCE_HEADROOM ? -1 : 1;
    }
    return 0;
  }

  /** Copies samples from `ts` on into out[from…], flagging what no packet holds; returns how many were missing. */
  #copy(ts: number, out: Int16Array, missing: Uint8Array, from: number): number {
    const end = ts + out.length - from;
    out.fill(0, from);
    missing.fill(1, from, out.length);
    let missingCount = out.length - from;
    for (const packet of this.#stored) {
      if (packet.ts >= end) break;
      const first = Math.max(ts, packet.ts);
      const last = Math.min(end, packet.ts + packet.samples.length);
      if (last <= first) continue;
      const at = from + (first - ts);
      out.set(packet.samples.subarray(first - packet.ts, last - packet.ts), at);
      missing.fill(0, at, at + (last - first));
      missingCount -= last - first;
    }
    return missingCount;
  }

  /**
   * Whether every sample of [ts, ts + count) is held and quiet. A sample not held may be a lost piece of a signal, or
   * one still on its way, so it never counts as silence.
   */
  #silent(ts: number, count: number): boolean {
    const end = ts + count;
    let covered = ts;
    for (const packet of this.#stored) {
      if (packet.ts >= end) break;
      if (packet.ts > covered) return false;
      const first = Math.max(covered, packet.ts) - packet.ts;
      const last = Math.min(end, packet.ts + packet.samples.length) - packet.ts;
      for (let i = first; i < last; i++) {
        const x = packet.samples[i];
        if (x > SILENCE_AMPLITUDE || x < -SILENCE_AMPLITUDE) return false;
      }
      covered = Math.max(covered, packet.ts + last);
    }
    return covered >= end;
  }

  #insert(packet: Stored): void {
    const stored = this.#stored;
    let i = stored.length;
    while (i > 0 && stored[i - 1].ts > packet.ts) i--;
    stored.splice(i, 0, packet);
  }

  #discardPlayed(): void {
    let count = 0;
    while (count < this.#stored.length) {
      const packet = this.#stored[count];
      if (packet.ts + packet.samples.length > this.#playTs) break;
      count++;
    }
    if (count > 0) this.#stored.splice(0, count);
  }

  #remember(ts: number, arrival: number): void {
    this.#recentTs[this.#marginNext] = ts;
    this.#recentArrival[this.#marginNext] = arrival;
    this.#marginNext = (this.#marginNext + 1) % MARGIN_WINDOW;
    this.#marginCount = Math.min(this.#marginCount + 1, MARGIN_WINDOW);
  }

  #extend(timestamp: number): number {
    const extended = this.#lastExtended + ((timestamp - this.#lastTimestamp) | 0);
    if (!this.#started) {
      this.#lastTimestamp = timestamp;
      this.#lastExtended = timestamp;
      return timestamp;
    }
    this.#lastTimestamp = timestamp;
    this.#lastExtended = extended;
    return extended;
  }

  /** Starts over with `packet` as the first of a new stream, played after the initial depth from now. */
  #restart(packet: JitterPacket, arrival: number): void {
    this.stats.restarts++;
    this.#stored.length = 0;
    this.#marginCount = 0;
    this.#marginNext = 0;
    this.#sequences.fill(-1);
    this.#sequences[packet.sequenceNumber & (SEQUENCE_WINDOW - 1)] = packet.sequenceNumber;
    this.#playing = false;
    this.#firstArrival = arrival;
    this.#lastTimestamp = packet.timestamp;
    this.#lastExtended = packet.timestamp;
    this.#firstTs = packet.timestamp;
    this.#ssrc = packet.ssrc;
  }
}
