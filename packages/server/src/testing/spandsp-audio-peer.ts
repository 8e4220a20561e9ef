// Test support: SpanDSP's audio fax terminal (fax_state_t, its own modems) as a live peer speaking G.711 in 20 ms RTP
// packets over UDP (interop/spandsp/audio-fax-peer.c; audio-fax reference §6.3), with the T.38 peer's options and
// report where they are the same.

import type { CPeerRecipe } from '@faxd/protocol/testing/c-peer-build';
import { callArguments, runPeerCall, type SpandspCallOptions, type SpandspCallResult } from './spandsp-peer.js';

const AUDIO_FAX_PEER: CPeerRecipe = {
  name: 'audio-fax-peer',
  source: 'interop/spandsp/audio-fax-peer.c',
  localHeaders: ['interop/spandsp/fax-call.h'],
  headers: ['tiffio.h', 'spandsp.h'],
  libraries: ['spandsp', 'tiff', 'm'],
  installHint: 'apt-get install gcc libspandsp-dev libtiff-dev (or run .ci/run)',
};

export interface SpandspAudioPeerOptions extends SpandspCallOptions {
  /** PCMU (payload type 0) unless given. */
  readonly media?: 'pcmu' | 'pcma';
}

export interface SpandspAudioPeerResult extends SpandspCallResult {
  /** Packets declared lost (a gap in the sequence not filled within the reorder window) and run as fill-in. */
  readonly packetsFilledIn: number;
  /** Packets dropped as late (their turn had passed) or duplicate. */
  readonly packetsLate: number;
  /** Datagrams that were not RTP of the call's payload type. */
  readonly datagramsIgnored: number;
}

/** Runs one call with SpanDSP's audio fax terminal (building it first if needed) and resolves with its report. */
export function runSpandspAudioPeer(options: SpandspAudioPeerOptions): Promise<SpandspAudioPeerResult> {
  const args = callArguments(options);
  if (options.media) args.push('--media', options.media);
  return runPeerCall<SpandspAudioPeerResult>(AUDIO_FAX_PEER, args);
}
