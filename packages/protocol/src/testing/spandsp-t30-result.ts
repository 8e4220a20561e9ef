// Test support: what SpanDSP's fax test peers (interop/spandsp: the T.38 and the audio terminal) report of a call at
// phase E, the fields their JSON result lines share.

export interface SpandspT30Result {
  readonly ok: boolean;
  /** SpanDSP's T30_ERR_* code; -1 when the call ended before phase E. */
  readonly completion: number;
  readonly completionText: string;
  readonly pagesTx: number;
  readonly pagesRx: number;
  readonly bitRate: number;
  readonly ecm: boolean;
  /** SpanDSP's T4_COMPRESSION_* (1 MH, 2 MR, 3 MMR). */
  readonly encoding: number;
  readonly remoteIdent: string;
}
