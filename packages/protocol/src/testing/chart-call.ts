// Test support: a sending and a receiving T.30 session over real coded pages (the tops of ITU charts), for whole calls
// on any front end, with the receiver decoding what it gets so pages can be compared pixel for pixel.

import { RESOLUTIONS } from '../image/geometry.js';
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

/**
 * `count` pages, each `rows` rows of an ITU chart from row `from` (real chart content, not its white top), marked with
 * `resolution`: page i from chart `charts[(first + i) % charts.length]`, so neighbouring calls send different pages.
 */
export function chartStrips(
  charts: readonly number[],
  first: number,
  count: number,
  resolution: 'standard' | 'fine',
  rows: number,
  from = 400,
): BilevelPage[] {
  const { x, y } = RESOLUTIONS[resolution];
  return Array.from({ length: count }, (_, page) => {
    const chart = readPbm(ituChartPath(charts[(first + page) % charts.length] as number));
    const data = chart.data.slice(from * chart.stride, (from + rows) * chart.stride);
    return pageFromRows({ width: chart.width, height: rows, xResolution: x, yResolution: y }, data);
  });
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
