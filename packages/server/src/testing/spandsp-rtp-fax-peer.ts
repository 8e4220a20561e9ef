// Test support: SpanDSP's audio fax terminal (fax_state_t, its own modems) as a live peer speaking G.711 in 20 ms RTP
// packets over UDP (interop/spandsp/rtp-fax-peer.c; audio-fax reference §6.3), with the T.38 peer's options and
// report where they are the same.

import type { CPeerRecipe } from '@faxd/protocol/testing/c-peer-build';
import { callArguments, runPeerCall, type SpandspCallOptions, type SpandspCallResult } from './spandsp-peer.js';

const RTP_FAX_PEER: CPeerRecipe = {
  name: 'rtp-fax-peer',
  source: 'interop/spandsp/rtp-fax-peer.c',
  localHeaders: ['interop/spandsp/fax-call.h', 'interop/spandsp/peer-support.h'],
  headers: ['tiffio.h', 'spandsp.h'],
  libraries: ['spandsp', 'tiff', 'm'],
  installHint: 'apt-get install gcc libspandsp-dev libtiff-dev (or run .ci/run)',
};

export interface SpandspRtpFaxPeerOptions extends SpandspCallOptions {
  /** PCMU (payload type 0) unless given. */
  readonly media?: 'pcmu' | 'pcma';
}

export interface SpandspRtpFaxPeerResult extends SpandspCallResult {
  /** Packets declared lost (a gap in the sequence not filled within the reorder window) and run as fill-in. */
  readonly packetsFilledIn: number;
  /** Packets dropped as late (their turn had passed) or duplicate. */
  readonly packetsLate: number;
  /** Datagrams that were not RTP of the call's payload type. */
  readonly datagramsIgnored: number;
}

/** Runs one call with SpanDSP's audio fax terminal (building it first if needed) and resolves with its report. */
export function runSpandspRtpFaxPeer(options: SpandspRtpFaxPeerOptions): Promise<SpandspRtpFaxPeerResult> {
  const args = callArguments(options);
  if (options.media) args.push('--media', options.media);
  return runPeerCall<SpandspRtpFaxPeerResult>(RTP_FAX_PEER, args);
}
