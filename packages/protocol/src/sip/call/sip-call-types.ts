// What a fax call takes and reports (RFC 3261 §12–§15 user agent, RFC 4028 refreshes): options, target, events, state.
import type { AudioSelection } from '../../sdp/audio-offer-answer.js';
import type { SdpRemoteMedia } from '../../sdp/sdp-offer-answer.js';
import type { T38Session } from '../../sdp/t38-offer-answer.js';
import type { SipMessage } from '../message/sip-message-types.js';
import type { SipTransportName } from '../message/via.js';
import type { SipTimerValues } from '../transaction/transaction-core.js';
import type { SipCallFailure } from './call-failure.js';
import type { FaxCallMedia } from './fax-call-sdp.js';

export type SipCallEvent =
  /** The call carries T.38 now (or again, elsewhere): send UDPTL to `remote` within `session`'s limits. */
  | { readonly type: 'media'; readonly remote: SdpRemoteMedia; readonly session: T38Session }
  /**
   * With `audioFax`: the call carries G.711 audio (again, or elsewhere): fax in-band to `remote` in `selection`'s
   * codec until a `media` event moves it to T.38.
   */
  | { readonly type: 'audio'; readonly remote: SdpRemoteMedia; readonly selection: AudioSelection }
  /** The call is over for the fax; `byPeer` when the far end hung up (BYE or CANCEL). */
  | { readonly type: 'ended'; readonly failure?: SipCallFailure; readonly reason: string; readonly byPeer: boolean };

export interface SipCallOutput {
  readonly send: SipMessage[];
  readonly events: SipCallEvent[];
}

export interface SipFaxCallOptions {
  /**
   * Where the peer reaches our SIP socket: Via sent-by and Contact, and the transport the call's messages go over
   * (UDP unless given; over TCP, Contact says `;transport=tcp` and nothing is retransmitted, RFC 3261 §17.1.1.2).
   */
  readonly local: { readonly host: string; readonly port: number; readonly transport?: SipTransportName };
  /** Our user part (number) for Contact and, on calls we place, From. */
  readonly user: string;
  readonly media: FaxCallMedia;
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Uniform in [0, 1): tags, branches, Call-IDs, cnonces and the glare back-off come from it. */
  readonly random: () => number;
  readonly timers?: Partial<SipTimerValues>;
  /** Offer audio first on calls we place and switch to T.38 later (default: offer T.38 at once). */
  readonly audioFirst?: boolean;
  /** On audio, how long we wait for the far end to ask for T.38 before asking ourselves (the caller; default 3 s). */
  readonly switchDelayMs?: number;
  /** How long a call may stay on audio before it ends as not-fax (default 30 s); not used with `audioFax`. */
  readonly t38WaitMs?: number;
  /**
   * Fax over the call's audio when it stays there (`sip.audioFax`): the call reports its audio stream at once and still
   * asks for T.38, but a refused or unanswered switch keeps the call on audio instead of ending it as not-fax.
   */
  readonly audioFax?: boolean;
  /** How long a call we place may ring (default 60 s). */
  readonly ringLimitMs?: number;
}

export interface SipCallTarget {
  /** Request-URI of the INVITE, e.g. `sip:5550100@pbx.example:5060`. */
  readonly uri: string;
  /** The To URI; the Request-URI unless given. */
  readonly to?: string;
  /** Our From URI. */
  readonly from: string;
}

export type SipCallState = 'calling' | 'offered' | 'answered' | 'confirmed' | 'ended';

/** The `ended` event without its tag, as the call's parts hand it over. */
export type SipCallEnding = Omit<Extract<SipCallEvent, { type: 'ended' }>, 'type'>;
