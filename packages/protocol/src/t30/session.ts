// The T.30 session engine, sans-I/O: one calling or answering station sending or receiving a document (T.30 clause 5).
//
// The caller feeds line events and commands to `receive`, calls `advance` at `nextDeadline()`, and performs the
// returned outputs in order. Each state has one handler in a table the compiler checks for completeness.

import { DecodeError } from '../bits/decode-error.js';
import { type CopyQualityPolicy, DEFAULT_COPY_QUALITY } from './copy-quality.js';
import type { DocumentSink, DocumentSource } from './document-port.js';
import { receiveEcmHandler } from './ecm-receive.js';
import {
  receiverNotReadyHandler,
  sendBlockHandler,
  waitForCtrHandler,
  waitForErrHandler,
  waitForPpsResponseHandler,
} from './ecm-send.js';
import type { Dis } from './frames/dis-dcs.js';
import type { DisFlag } from './frames/dis-dcs-bits.js';
import { CONTROL_NON_FINAL, decodeT30Frame, type T30Frame } from './frames/t30-frame.js';
import type { T30Input, T30Output } from './front-end.js';
import {
  idleHandler,
  receiveTcfHandler,
  waitForDisHandler,
  waitForCommandHandler as waitForPhaseBCommandHandler,
  waitForTrainingResponseHandler,
} from './phase-b.js';
import { receivePageHandler, sendPageHandler } from './phase-c.js';
import {
  waitForCommandHandler,
  waitForPageRecordHandler,
  waitForPageStoreHandler,
  waitForPostPageCommandHandler,
  waitForPostPageResponseHandler,
} from './phase-d.js';
import { SessionCore, type StateHandler, type StateInput } from './session-core.js';
import type { T30State } from './session-state.js';
import { T30_LIMITS, T30_TIMERS, type T30Limits, type T30Timers } from './timers.js';

export interface T30SessionOptions {
  readonly role: 'calling' | 'answering';
  readonly direction: 'send' | 'receive';
  /** What this station can do; bit 10 (receive) or 9 (transmit) is set from `direction`. */
  readonly capabilities: Dis;
  /** Local identity sent as CSI, TSI or CIG (up to 20 characters). */
  readonly ident?: string;
  /** Sent as SUB and SID when the receiver's DIS offers them (T.30 bits 49 and 50); PWD when polling. */
  readonly subaddress?: string;
  readonly senderId?: string;
  readonly password?: string;
  /** Required when sending. */
  readonly source?: DocumentSource;
  /** Required when receiving. */
  readonly sink?: DocumentSink;
  readonly copyQuality?: CopyQualityPolicy;
  readonly timers?: Partial<T30Timers>;
  readonly limits?: Partial<T30Limits>;
}

const finishedHandler: StateHandler = () => {};

const HANDLERS = {
  IDLE: idleHandler,
  T: waitForDisHandler,
  R: waitForPhaseBCommandHandler,
  D: waitForTrainingResponseHandler,
  F_TCF: receiveTcfHandler,
  F: waitForCommandHandler,
  I: sendPageHandler,
  F_DOC_NON_ECM: receivePageHandler,
  F_POST_DOC_NON_ECM: waitForPostPageCommandHandler,
  F_STORE_PAGE: waitForPageStoreHandler,
  II_Q: waitForPostPageResponseHandler,
  II_RECORD: waitForPageRecordHandler,
  IV: sendBlockHandler,
  F_DOC_ECM: receiveEcmHandler,
  IV_PPS_Q: waitForPpsResponseHandler,
  IV_PPS_RNR: receiverNotReadyHandler,
  IV_CTC: waitForCtrHandler,
  IV_EOR: waitForErrHandler,
  CALL_FINISHED: finishedHandler,
} satisfies Record<T30State, StateHandler>;

/** Frames that identify or describe the remote station; they are reported wherever they arrive. */
function reportInformation(core: SessionCore, frame: T30Frame): boolean {
  switch (frame.type) {
    case 'CSI':
    case 'TSI':
    case 'CIG':
      core.emit({ type: 'remote-ident', frame: frame.type, ident: frame.ident.trim() });
      return true;
    case 'SUB':
    case 'SID':
    case 'PWD':
      core.emit({ type: 'remote-address', frame: frame.type, value: frame.ident.trim() });
      return true;
    case 'NSF':
    case 'NSS':
    case 'NSC':
      core.emit({ type: 'remote-non-standard', frame: frame.type, fif: frame.fif });
      return true;
    default:
      return false;
  }
}

function resolveOptions(options: T30SessionOptions): SessionCore['options'] {
  if (options.direction === 'send' && (!options.source || options.source.pageCount < 1)) {
    throw new Error('a sending T.30 session needs a document source with at least one page');
  }
  if (options.direction === 'receive' && !options.sink) throw new Error('a receiving T.30 session needs a sink');
  const flag: DisFlag = options.direction === 'receive' ? 'readyToReceive' : 'readyToTransmit';
  const flags = new Set<DisFlag>(options.capabilities.flags);
  flags.delete(options.direction === 'receive' ? 'readyToTransmit' : 'readyToReceive');
  flags.add(flag);
  return {
    role: options.role,
    direction: options.direction,
    localDis: { ...options.capabilities, flags },
    ident: options.ident ?? '',
    subaddress: options.subaddress,
    senderId: options.senderId,
    password: options.password,
    source: options.source,
    sink: options.sink,
    copyQuality: options.copyQuality ?? DEFAULT_COPY_QUALITY,
    timers: { ...T30_TIMERS, ...options.timers },
    limits: { ...T30_LIMITS, ...options.limits },
  };
}

export class T30Session {
  readonly #core: SessionCore;

  constructor(options: T30SessionOptions) {
    this.#core = new SessionCore(resolveOptions(options));
  }

  get state(): T30State {
    return this.#core.state;
  }

  get finished(): boolean {
    return this.#core.state === 'CALL_FINISHED';
  }

  receive(input: T30Input, now: number): T30Output[] {
    const core = this.#core;
    core.now = Math.max(core.now, now);
    switch (input.type) {
      case 'start':
        if (core.state !== 'IDLE') throw new Error(`T.30 session already started (state ${core.state})`);
        this.#dispatch(input);
        break;
      case 'cancel':
        if (core.state === 'CALL_FINISHED') break;
        core.output({ type: 'stop-transmit' });
        core.transmitting = false;
        // Before start there is no line to say DCN on.
        core.finish({ code: 'local-cancel' }, core.state !== 'IDLE');
        break;
      case 'send-done':
        core.transmissionDone();
        this.#dispatch(input);
        break;
      case 'hdlc':
        core.silentT2Expiries = 0;
        this.#receiveFrame(input.bytes, input.fcsOk);
        break;
      default:
        if (input.type === 'image-data') core.silentT2Expiries = 0;
        this.#dispatch(input);
    }
    return core.drain();
  }

  advance(now: number): T30Output[] {
    const core = this.#core;
    core.now = Math.max(core.now, now);
    for (let timer = core.takeExpiredTimer(); timer; timer = core.takeExpiredTimer()) {
      this.#dispatch({ type: 'timeout', timer });
    }
    return core.drain();
  }

  nextDeadline(): number | undefined {
    return this.#core.nextDeadline();
  }

  #dispatch(input: StateInput): void {
    HANDLERS[this.#core.state](this.#core, input);
  }

  /** Malformed frames count as frames with a bad FCS: a bad frame never ends the session. */
  #receiveFrame(bytes: Uint8Array, fcsOk: boolean): void {
    const core = this.#core;
    let frame: T30Frame | undefined;
    if (fcsOk) {
      try {
        frame = decodeT30Frame(bytes).frame;
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
      }
    }
    // Half duplex: while transmitting, a station hears nothing but a DCN (which T.38 can deliver mid-transmission).
    if (core.transmitting && frame?.type !== 'DCN') return;
    if (!frame) {
      this.#dispatch({ type: 'bad-frame' });
      return;
    }
    // More frames of a burst follow: the response or command timer counts from its final frame (T.30
    // restarts T2 and T4 on detecting flags).
    if (bytes[1] === CONTROL_NON_FINAL) {
      core.restartTimer('T2');
      core.restartTimer('T4');
    }
    if (!reportInformation(core, frame)) this.#dispatch({ type: 'frame', frame, bytes });
  }
}
