// Plain text to fax pages: DejaVu Sans Mono 10 pt on 12 pt lines, 0.75 in margins, long lines wrapped, tabs every 8
// columns, a form feed starting a new page. The font ships in the dejavu-fonts-ttf package (free licence).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import { type BilevelPage, createPage } from '@faxd/protocol/image/page';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import { screenRgbaRows } from './bilevel.js';
import type { DocumentBudget } from './document-limits.js';
import type { PageSink } from './render-document.js';

/** The family name DejaVu Sans Mono is registered under. */
export const FONT_FAMILY = 'faxd-mono';
const FONT_POINTS = 10;
const LINE_POINTS = 12;
const MARGIN_POINTS = 54;
/** DejaVu Sans Mono's advance width is 1233/2048 em. */
const ADVANCE_EM = 1233 / 2048;
const TAB_COLUMNS = 8;

let canvasModule: Promise<typeof import('@napi-rs/canvas')> | undefined;

/**
 * @napi-rs/canvas (Skia) with DejaVu Sans Mono registered, loaded on first use: it takes a tenth of a second to load,
 * which a TIFF or PDF conversion need not pay.
 */
export function loadCanvas(): Promise<typeof import('@napi-rs/canvas')> {
  canvasModule ??= import('@napi-rs/canvas').then((canvas) => {
    const root = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
    canvas.GlobalFonts.registerFromPath(join(root, 'ttf', 'DejaVuSansMono.ttf'), FONT_FAMILY);
    return canvas;
  });
  return canvasModule;
}

/** The line with each tab widened to the next tab stop, as the page shows it. */
export function expandTabs(line: string): string {
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(TAB_COLUMNS - (out.length % TAB_COLUMNS)) : ch;
  return out;
}

/** The text as pages of lines: form feeds split pages, long lines wrap at `columns`, pages hold `rows` lines. */
export function layoutText(text: string, columns: number, rows: number): string[][] {
  const pages: string[][] = [];
  for (const sheet of text.replace(/\r\n?/g, '\n').split('\f')) {
    const lines = sheet.endsWith('\n') ? sheet.slice(0, -1).split('\n') : sheet.split('\n');
    const wrapped = lines.flatMap((line) => {
      const clean = expandTabs(line).replace(/[\p{Cc}]/gu, ' ');
      const parts: string[] = [];
      for (let i = 0; i < clean.length; i += columns) parts.push(clean.slice(i, i + columns));
      return parts.length > 0 ? parts : [''];
    });
    for (let i = 0; i < wrapped.length; i += rows) pages.push(wrapped.slice(i, i + rows));
    if (wrapped.length === 0) pages.push([]);
  }
  return pages;
}

/**
 * A canvas of one fax page, kept for the next document, and white wherever no page is being drawn: a page's canvas is
 * some 16 MB of native memory, which the allocator does not hand back promptly, so a canvas made per document (as
 * before) let a burst of small text submissions grow the process by gigabytes. Only the rows a page's lines can ink
 * are screened and whitened again afterwards: a short note touches a few dozen of the page's 2,286 rows, and filling
 * and screening the whole page was most of what a text submission cost.
 */
interface PageCanvas {
  readonly canvas: Canvas;
  readonly ctx: SKRSContext2D;
}

const canvases = new Map<string, PageCanvas>();

async function pageCanvas(geometry: FaxGeometry): Promise<PageCanvas> {
  const key = `${geometry.width}x${geometry.height}`;
  let page = canvases.get(key);
  if (!page) {
    const { createCanvas } = await loadCanvas();
    const canvas = createCanvas(geometry.width, geometry.height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, geometry.width, geometry.height);
    ctx.font = `${FONT_POINTS}px ${FONT_FAMILY}`;
    ctx.textBaseline = 'alphabetic';
    page = { canvas, ctx };
    canvases.set(key, page);
  }
  return page;
}

/** Rows first..last (device pixels, end exclusive) that a page's lines may ink. */
interface RowBand {
  readonly top: number;
  readonly bottom: number;
}

/**
 * The rows the page's lines may ink: each line's glyph box as Skia measures it (accents stacked high, a fallback
 * font's tall glyph), and never less than a line's height either side of its baseline, widened by two rows for the
 * anti-aliased fringe; undefined for a page with nothing to draw.
 */
function inkedRows(ctx: SKRSContext2D, lines: readonly string[], geometry: FaxGeometry): RowBand | undefined {
  const yScale = geometry.yResolution / 72;
  let top = Number.POSITIVE_INFINITY;
  let bottom = Number.NEGATIVE_INFINITY;
  for (const [i, line] of lines.entries()) {
    if (line === '') continue;
    const baseline = baselinePoints(i);
    const metrics = ctx.measureText(line);
    top = Math.min(top, baseline - Math.max(LINE_POINTS, metrics.actualBoundingBoxAscent));
    bottom = Math.max(bottom, baseline + Math.max(LINE_POINTS, metrics.actualBoundingBoxDescent));
  }
  if (top > bottom) return undefined;
  const band = {
    top: Math.max(0, Math.floor(top * yScale) - 2),
    bottom: Math.min(geometry.height, Math.ceil(bottom * yScale) + 2),
  };
  return band.top < band.bottom ? band : undefined;
}

/** Line `i`'s baseline, in points from the top of the page. */
function baselinePoints(i: number): number {
  return MARGIN_POINTS + (i + 1) * LINE_POINTS - 3;
}

/** Draws one page's lines on the white canvas and screens the rows they inked into a new page; whitens them again. */
function drawPage({ canvas, ctx }: PageCanvas, lines: readonly string[], geometry: FaxGeometry): BilevelPage {
  const page = createPage(geometry);
  // User space is in points here, so a "px" font size is a point size.
  ctx.setTransform(geometry.xResolution / 72, 0, 0, geometry.yResolution / 72, 0, 0);
  const band = inkedRows(ctx, lines, geometry);
  if (!band) return page;
  const rows = band.bottom - band.top;
  try {
    ctx.fillStyle = '#000000';
    for (const [i, line] of lines.entries()) ctx.fillText(line, MARGIN_POINTS, baselinePoints(i));
    // data() draws what is pending and lends the canvas's own pixels, without a copy: a copy of a full page's rows
    // (getImageData) cost more than drawing them, most of it the kernel zeroing a fresh buffer of 14 MB.
    const rowBytes = canvas.width * 4;
    screenRgbaRows(canvas.data().subarray(band.top * rowBytes, band.bottom * rowBytes), page, band.top);
  } finally {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, band.top, canvas.width, rows);
  }
  return page;
}

/** How many characters fit across a page of `geometry` inside the margins, and how many lines down. */
export function textGrid(geometry: FaxGeometry): { readonly columns: number; readonly rows: number } {
  const widthPoints = (geometry.width / geometry.xResolution) * 72;
  const heightPoints = (geometry.height / geometry.yResolution) * 72;
  return {
    columns: Math.floor((widthPoints - 2 * MARGIN_POINTS) / (FONT_POINTS * ADVANCE_EM)),
    rows: Math.floor((heightPoints - 2 * MARGIN_POINTS) / LINE_POINTS),
  };
}

/** One page of `lines` (laid out by layoutText for the page's grid), drawn and screened to bilevel. */
export async function drawTextPage(lines: readonly string[], geometry: FaxGeometry): Promise<BilevelPage> {
  return drawPage(await pageCanvas(geometry), lines, geometry);
}

/** Draws the text's pages into `sink` one by one; its page count is held to the budget before any is drawn. */
export async function renderText(
  text: string,
  geometry: FaxGeometry,
  budget: DocumentBudget,
  sink: PageSink,
): Promise<void> {
  const { columns, rows } = textGrid(geometry);
  const sheets = layoutText(text, columns, rows);
  budget.addPages(sheets.length);
  const canvas = await pageCanvas(geometry);
  for (const [index, lines] of sheets.entries()) {
    budget.checkPage(index + 1, geometry);
    sink(drawPage(canvas, lines, geometry));
  }
}
