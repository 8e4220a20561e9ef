// Test support: a sending and a receiving T.30 session over real coded pages (the tops of ITU charts), for whole calls
// on any front end, with the receiver decoding what it gets so pages can be compared pixel for pixel.

import { type BilevelPage, pageFromRows } from '../image/page.js';
import type { Dis } from '../t30/frames/dis-dcs.js';
import { PageDocumentSource } from '../t30/page-document-source.js';
import { T30Session } from '../t30/session.js';
import { ituChartPath } from './paths.js';
import { readPbm } from './pbm.js';
import { g3Capabilities } from './t30-capabilities.js';
import { CodecDocumentSink } from './t30-codec-documents.js';

/** The first `rows` rows of ITU chart `n`: enough coded data for a real page, short enough to keep a suite fast. */
export function shortChart(n: number, rows: number): BilevelPage {
  const chart = readPbm(ituChartPath(n));
  return pageFromRows({ ...chart, height: rows }, chart.data.slice(0, chart.stride * rows));
}

export interface ChartSessions {
  readonly sending: T30Session;
  readonly receiving: T30Session;
  readonly sink: CodecDocumentSink;
  readonly pages: readonly BilevelPage[];
}

/** The caller sends `pages` with the `sender` capabilities; the answerer receives with `receiver` (G3 otherwise). */
export function chartSessions(
  pages: readonly BilevelPage[],
  sender: Partial<Dis>,
  receiver: Partial<Dis> = {},
): ChartSessions {
  const sink = new CodecDocumentSink();
  const sending = new T30Session({
    role: 'calling',
    direction: 'send',
    capabilities: g3Capabilities(sender),
    ident: 'SENDER',
    source: new PageDocumentSource(pages),
  });
  const receiving = new T30Session({
    role: 'answering',
    direction: 'receive',
    capabilities: g3Capabilities(receiver),
    ident: 'RECEIVER',
    sink,
  });
  return { sending, receiving, sink, pages };
}
