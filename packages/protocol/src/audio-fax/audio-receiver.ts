// The receive half of the audio fax front end (T.30 §5.3; audio-fax reference §1.3, §5.2): line samples become the
// session's inputs. V.21 carries frames; while an image carrier is expected its receiver runs beside V.21 on the same
// samples, since the far end may answer with V.21 instead (a repeated DCS, CRP, DCN, or ECM's PPS between blocks).

import { HdlcDeframer } from '../hdlc/bit-stuffing.js';
import { V21HdlcReceiver } from '../modem/v21/v21-hdlc.js';
import { decodeFcf } from '../t30/frames/fcf.js';
import type { FrontEndInput, LineModem } from '../t30/front-end.js';
import { type ImageDemodulator, type ImageDemodulatorOutput, imageDemodulator } from './image-modems.js';
import { OctetPacker } from './line-bits.js';
import { PageBitFilter } from './page-bit-filter.js';

const NO_INPUTS: readonly FrontEndInput[] = [];

/** Where the bits of a trained image carrier go. */
type ImageSink =
  /** ECM: HDLC frames. */
  | { readonly kind: 'hdlc'; readonly deframer: HdlcDeframer }
  /** TCF: every bit, for the session's count of zeros. */
  | { readonly kind: 'tcf'; readonly packer: OctetPacker }
  /** A non-ECM page: its bits from the first EOL to RTC. */
  | { readonly kind: 'page'; readonly packer: OctetPacker; readonly filter: PageBitFilter };

export class AudioReceiver {
  #v21 = new V21HdlcReceiver();
  /** Samples the current V.21 receiver has been given, to place its carrier events in the last chunk. */
  #v21Samples = 0;
  #farQuiet = Number.POSITIVE_INFINITY;
  /**
   * The image receiver at the last image rate listened to. It outlives spells of V.21 only (the post-page exchange),
   * since V.17 trains short for the next page from what it learnt on the last one.
   */
  #image: { readonly modem: LineModem; readonly demodulator: ImageDemodulator } | undefined;
  /** Whether the image receiver hears the line now (beside V.21), or V.21 alone. */
  #imageOn = false;
  #imageHdlc = false;
  /** An image carrier is on the line (trained or not), or dropped within the last chunk. */
  #imageCarrier = false;
  #imageCarrierDropped = false;
  /** The image carrier on the line has not trained, and V.21 has framed no flags since it came. */
  #untrainedCarrier = false;
  /** The image carrier trained and its bits go here; V.21 rests until it drops. */
  #sink: ImageSink | undefined;
  /** A DCS was the last thing heard and nothing has been sent since: an image carrier now is TCF (T.30 §5.3.2.1). */
  #dcsHeard = false;
  /** The last frame heard was a DCS or CTC: the far end's next image carrier trains long. */
  #longTrainingNext = false;
  #flagsHeard = false;
  #inputs: FrontEndInput[] = [];

  /**
   * Samples since the far end's carrier stopped, as of the last sample heard (0 while it is on): T.30 answers wait for
   * its end. A V.21 frame is complete at its closing flag, before the carrier stops; an image carrier's end is known to
   * within a chunk.
   */
  get farQuiet(): number {
    return this.#farQuiet;
  }

  /** Whether V.21 flags have been heard since the last call (the far end has started phase B). */
  takeFlagsHeard(): boolean {
    const heard = this.#flagsHeard;
    this.#flagsHeard = false;
    return heard;
  }

  /** Listens with `modem` next (T30Output `set-receive-modem`); an image receiver already at that rate keeps its state. */
  listen(modem: LineModem, hdlc: boolean): void {
    if (modem.modem === 'v21') {
      this.#endImage();
      this.#imageOn = false;
      this.#imageCarrier = false;
      this.#untrainedCarrier = false;
      return;
    }
    this.#imageOn = true;
    this.#imageHdlc = hdlc;
    const same = this.#image?.modem.modem === modem.modem && this.#image.modem.bitRate === modem.bitRate;
    if (!same) {
      this.#endImage();
      this.#image = { modem, demodulator: imageDemodulator(modem) };
    }
    if (this.#longTrainingNext) this.#image?.demodulator.trainLong();
    this.#longTrainingNext = false;
  }

  /** Our own transmission starts: what follows is the far end's answer to it, not TCF. */
  transmitting(): void {
    this.#dcsHeard = false;
  }

  receive(samples: Int16Array): readonly FrontEndInput[] {
    // V.21 hears the samples unless an image carrier was trained on when they began.
    if (!this.#sink) this.#v21Output(this.#v21.receive(samples), samples.length);
    else this.#farQuiet += samples.length;
    if (this.#image && this.#imageOn) this.#imageOutput(this.#image.demodulator.receive(samples));
    if (this.#imageCarrier || this.#imageCarrierDropped) this.#farQuiet = 0;
    this.#imageCarrierDropped = false;
    return this.#take();
  }

  /** `count` samples were lost (a packet that never came): every receiver runs its fill-in over them. */
  fillIn(count: number): readonly FrontEndInput[] {
    if (!this.#sink) {
      this.#v21.fillIn(count);
      this.#v21Samples += count;
      this.#farQuiet = this.#v21.carrierPresent() ? 0 : this.#farQuiet + count;
    }
    if (this.#imageOn) this.#image?.demodulator.fillIn(count);
    return this.#take();
  }

  #v21Output(output: ReturnType<V21HdlcReceiver['receive']>, count: number): void {
    this.#v21Samples += count;
    this.#farQuiet += count;
    for (const event of output.events) {
      if (event.kind === 'framing-ok') {
        this.#flagsHeard = true;
        this.#untrainedCarrier = false;
      }
      if (event.kind === 'carrier-down') this.#farQuiet = this.#v21Samples - event.sample;
    }
    if (this.#v21.carrierPresent()) this.#farQuiet = 0;
    for (const frame of output.frames) {
      if (frame.fcsOk) {
        const name = decodeFcf(frame.bytes[2] ?? 0)?.name;
        this.#dcsHeard = name === 'DCS';
        this.#longTrainingNext = name === 'DCS' || name === 'CTC';
      }
      this.#inputs.push({ type: 'hdlc', bytes: frame.bytes, fcsOk: frame.fcsOk });
    }
  }

  #imageOutput(output: ImageDemodulatorOutput): void {
    let from = 0;
    for (const event of output.events) {
      this.#imageBits(output.bits.subarray(from, event.bitIndex));
      from = event.bitIndex;
      switch (event.kind) {
        case 'carrier-up':
          this.#imageCarrier = true;
          this.#untrainedCarrier = !this.#sink;
          break;
        case 'training-succeeded':
          this.#trained();
          break;
        case 'carrier-down':
          this.#imageCarrier = false;
          this.#imageCarrierDropped = true;
          this.#endImage();
          this.#untrainedCarrierEnded();
          break;
        // A failed training waits for the carrier's end: the receiver tries again until then.
      }
    }
    this.#imageBits(output.bits.subarray(from));
  }

  #trained(): void {
    this.#untrainedCarrier = false;
    this.#endImage();
    this.#inputs.push({ type: 'training-received' });
    // The parallel V.21 receiver stops; it starts afresh once this carrier has gone.
    this.#v21 = new V21HdlcReceiver();
    this.#v21Samples = 0;
    if (this.#imageHdlc) this.#sink = { kind: 'hdlc', deframer: new HdlcDeframer() };
    else if (this.#dcsHeard) this.#sink = { kind: 'tcf', packer: new OctetPacker() };
    else this.#sink = { kind: 'page', packer: new OctetPacker(), filter: new PageBitFilter() };
  }

  /**
   * A carrier the image receiver never trained on has ended. Unless V.21 framed flags while it lasted (a V.21 signal,
   * such as a repeated command, also raises the image receiver's carrier), it was an image carrier that brought
   * nothing: the session hears of it, so that the post-page command after it is not taken for a repeat.
   */
  #untrainedCarrierEnded(): void {
    if (this.#untrainedCarrier) this.#inputs.push({ type: 'image-carrier' });
    this.#untrainedCarrier = false;
  }

  #imageBits(bits: Uint8Array): void {
    const sink = this.#sink;
    if (!sink || bits.length === 0) return;
    if (sink.kind === 'hdlc') {
      for (const frame of sink.deframer.receive(bits)) {
        this.#inputs.push({ type: 'hdlc', bytes: frame.bytes, fcsOk: frame.fcsOk });
      }
      return;
    }
    if (sink.kind === 'tcf') sink.packer.push(bits);
    else sink.filter.filter(bits, sink.packer);
    this.#imageData(sink.packer.take());
  }

  /** The trained carrier has dropped (or is no longer listened to): non-ECM data ends with `image-end`. */
  #endImage(): void {
    const sink = this.#sink;
    if (!sink) return;
    this.#sink = undefined;
    if (sink.kind === 'hdlc') return;
    this.#imageData(sink.packer.flush());
    this.#inputs.push({ type: 'image-end' });
  }

  #imageData(bytes: Uint8Array): void {
    if (bytes.length > 0) this.#inputs.push({ type: 'image-data', bytes });
  }

  #take(): readonly FrontEndInput[] {
    // Most calls (20 ms of a carrier, or of silence) bring nothing; they share one empty answer.
    if (this.#inputs.length === 0) return NO_INPUTS;
    const inputs = this.#inputs;
    this.#inputs = [];
    return inputs;
  }
}
