// Two SIP fax calls joined by a wire on a manual clock (RFC 3261 user agents back to back), for the call tests.
import { DEFAULT_T38_CAPABILITIES } from '../sdp/t38-offer-answer.js';
import { type SipCallEvent, type SipCallOutput, SipFaxCall, type SipFaxCallOptions } from '../sip/call/sip-fax-call.js';
import { decodeSipMessage, encodeSipMessage } from '../sip/message/sip-message.js';
import type { SipMessage, SipRequest } from '../sip/message/sip-message-types.js';

export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

export function sipCallOptions(port: number, seed: number, extra: Partial<SipFaxCallOptions> = {}): SipFaxCallOptions {
  return {
    local: { host: '192.0.2.1', port },
    user: `u${port}`,
    media: {
      address: '192.0.2.1',
      port: port + 1000,
      t38: DEFAULT_T38_CAPABILITIES,
      audio: { codecs: ['PCMU', 'PCMA'], telephoneEvent: false },
    },
    random: seeded(seed),
    ...extra,
  };
}

export const wire = (message: SipMessage) => decodeSipMessage(encodeSipMessage(message));

/** Two user agents joined by a lossless wire on a manual clock; `drop` may discard messages. */
export class Link {
  now = 0;
  caller: SipFaxCall | undefined;
  callee: SipFaxCall | undefined;
  readonly events = { caller: [] as SipCallEvent[], callee: [] as SipCallEvent[] };
  readonly log: string[] = [];
  drop: (message: SipMessage, to: 'caller' | 'callee') => boolean = () => false;
  onInvite: (call: SipFaxCall) => SipCallOutput = (call) => call.accept(this.now);
  /** Options of the callee's user agent beyond the defaults. */
  calleeOptions: Partial<SipFaxCallOptions> = {};

  take(from: 'caller' | 'callee', output: SipCallOutput): void {
    this.events[from].push(...output.events);
    const to = from === 'caller' ? 'callee' : 'caller';
    for (const message of output.send) {
      const label = message.kind === 'request' ? message.method : String(message.status);
      this.log.push(`${from}>${label}`);
      if (this.drop(message, to)) continue;
      this.deliver(to, wire(message));
    }
  }

  deliver(to: 'caller' | 'callee', message: SipMessage): void {
    if (to === 'callee' && !this.callee) {
      const { call, output } = SipFaxCall.incoming(
        message as SipRequest,
        sipCallOptions(5070, 2, this.calleeOptions),
        this.now,
      );
      this.callee = call;
      this.take('callee', output);
      this.take('callee', this.onInvite(call));
      return;
    }
    const call = to === 'caller' ? this.caller : this.callee;
    if (call) this.take(to, call.receive(message, this.now));
  }

  /** Runs the clock to `until`, firing every deadline on the way. */
  run(until: number): void {
    for (;;) {
      const next = Math.min(this.caller?.nextDeadline() ?? Infinity, this.callee?.nextDeadline() ?? Infinity);
      if (next > until) break;
      this.now = Math.max(this.now, next);
      if (this.caller) this.take('caller', this.caller.advance(this.now));
      if (this.callee) this.take('callee', this.callee.advance(this.now));
    }
    this.now = until;
  }

  dial(extra: Partial<SipFaxCallOptions> = {}): void {
    const target = { uri: 'sip:5550100@192.0.2.1:5070', from: 'sip:u5060@192.0.2.1' };
    const { call, output } = SipFaxCall.dial(target, sipCallOptions(5060, 1, extra), this.now);
    this.caller = call;
    this.take('caller', output);
  }
}
