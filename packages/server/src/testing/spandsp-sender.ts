// Test support: SpanDSP sending a text document faxd should receive, the document loaded as fax pages (kept for
// comparing what arrives) and written as an MH TIFF for the peer to send.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BilevelPage } from '@faxd/protocol';
import { encodeFaxTiff } from '../documents/fax-files.js';
import { loadDocumentPages } from '../documents/load-pages.js';
import { freeUdpPort } from './free-udp-port.js';
import { type PeerResult, runSpandspPeer } from './spandsp-peer.js';

export interface SpandspSenderOptions {
  /** The document sent: plain text, form feeds separating pages. */
  readonly text: string;
  /** Where the TIFF is written. */
  readonly directory: string;
  /** faxd's UDPTL port (or a relay's) the peer sends to. */
  readonly peerPort: number;
  /** The peer's own UDP port; a free one unless given. */
  readonly bindPort?: number;
  /** The TSI the peer sends. */
  readonly ident?: string;
  /**
   * The peer starts once this resolves: when faxd has answered the call. A calling T.38 terminal announces itself once,
   * at its start (SpanDSP's CNG indicator, about 0.5 s in, and nothing after), and faxd answering sends nothing toward
   * a caller it has not heard: started before faxd's media port is open, the two would wait on each other until T.30's
   * T1 runs out. Started at once when not given.
   */
  readonly startWhen?: Promise<unknown>;
}

/** Starts the sending peer; `result` settles with its outcome once the call is over. */
export async function startSpandspSender(
  options: SpandspSenderOptions,
): Promise<{ pages: BilevelPage[]; bindPort: number; result: Promise<PeerResult> }> {
  const pages = await loadDocumentPages(new Uint8Array(Buffer.from(options.text)), { paper: 'a4' });
  const bindPort = options.bindPort ?? (await freeUdpPort());
  const file = join(options.directory, `to-faxd-${bindPort}.tif`);
  await writeFile(file, encodeFaxTiff(pages, { compression: 'mh', dateTime: new Date() }));
  const { peerPort, ident, startWhen } = options;
  const result = Promise.resolve(startWhen).then(() =>
    runSpandspPeer({ mode: 'send', file, bindPort, peerPort, ...(ident !== undefined && { ident }) }),
  );
  return { pages, bindPort, result };
}
