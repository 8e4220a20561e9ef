// Test support: documents for live calls made of strips of the ITU test charts, real chart content short enough to
// keep a page's image data to a few seconds on the line.
import { type BilevelPage, pageFromRows, RESOLUTIONS } from '@faxd/protocol';
import { ituChartPath } from '@faxd/protocol/testing/paths';
import { readPbm } from '@faxd/protocol/testing/pbm';

const PAGE_ROWS = 200;
const CHART_TOP_ROW = 400;
/** The order charts are taken in, so neighbouring calls send different content. */
const CHARTS = [1, 2, 3, 5, 6, 4, 7, 8];

/** `pages` strips at `resolution`, a different chart on each, starting from the `first`-th chart in CHARTS. */
export function chartStrips(resolution: 'standard' | 'fine', pages: number, first: number): BilevelPage[] {
  const { x, y } = RESOLUTIONS[resolution];
  return Array.from({ length: pages }, (_, page) => {
    const chart = readPbm(ituChartPath(CHARTS[(first + page) % CHARTS.length] as number));
    const rows = chart.data.slice(CHART_TOP_ROW * chart.stride, (CHART_TOP_ROW + PAGE_ROWS) * chart.stride);
    return pageFromRows({ width: chart.width, height: PAGE_ROWS, xResolution: x, yResolution: y }, rows);
  });
}
