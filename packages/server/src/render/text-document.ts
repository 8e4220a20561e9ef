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
export const LINE_POINTS = 12;
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
 * A strip of a fax page's width and STRIP_ROWS rows, on which a page is drawn a band of rows at a time, kept for the
 * next page: white wherever nothing is being drawn. Reading a canvas's pixels (data()) after drawing on it costs a
 * copy of the whole canvas, which for a page's canvas (some 16 MB) was most of what a short note cost; a strip's is a
 * few hundred kilobytes, and a note's lines fit one strip. A page's canvas kept for the next document also held those
 * 16 MB of native memory, which the allocator does not hand back promptly.
 */
interface StripCanvas {
  readonly canvas: Canvas;
  readonly ctx: SKRSContext2D;
}

/** Rows of a strip: a short note's lines and their fringe fit in one. */
const STRIP_ROWS = 128;

const strips = new Map<number, StripCanvas>();

async function stripCanvas(geometry: FaxGeometry): Promise<StripCanvas> {
  let strip = strips.get(geometry.width);
  if (!strip) {
    const { createCanvas } = await loadCanvas();
    const canvas = createCanvas(geometry.width, STRIP_ROWS);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, geometry.width, STRIP_ROWS);
    ctx.font = `${FONT_POINTS}px ${FONT_FAMILY}`;
    ctx.textBaseline = 'alphabetic';
    strip = { canvas, ctx };
    strips.set(geometry.width, strip);
  }
  return strip;
}

/** Rows first..last (device pixels, end exclusive) that a line may ink. */
interface RowBand {
  readonly top: number;
  readonly bottom: number;
}

/**
 * Printable ASCII, every glyph of which DejaVu Sans Mono draws within 9 points above the baseline and 3 below at 10
 * points (text-document.test measures them), inside a line's height either side: such a line's glyph box can never
 * widen its band, so it is not measured. Measuring took a twelfth of the time a full page of text takes to draw.
 */
const WITHIN_LINE_HEIGHT = /^[\x20-\x7e]*$/;

/**
 * The rows each of the page's lines may ink (undefined for an empty line): its glyph box as Skia measures it (accents
 * stacked high, a fallback font's tall glyph), and never less than a line's height either side of its baseline,
 * widened by two rows for the anti-aliased fringe.
 */
function inkedRows(ctx: SKRSContext2D, lines: readonly string[], geometry: FaxGeometry): (RowBand | undefined)[] {
  const yScale = geometry.yResolution / 72;
  return lines.map((line, i) => {
    if (line === '') return undefined;
    const baseline = baselinePoints(i);
    const metrics = WITHIN_LINE_HEIGHT.test(line) ? undefined : ctx.measureText(line);
    const top = baseline - Math.max(LINE_POINTS, metrics?.actualBoundingBoxAscent ?? 0);
    const bottom = baseline + Math.max(LINE_POINTS, metrics?.actualBoundingBoxDescent ?? 0);
    const band = {
      top: Math.max(0, Math.floor(top * yScale) - 2),
      bottom: Math.min(geometry.height, Math.ceil(bottom * yScale) + 2),
    };
    return band.top < band.bottom ? band : undefined;
  });
}

/** Line `i`'s baseline, in points from the top of the page. */
function baselinePoints(i: number): number {
  return MARGIN_POINTS + (i + 1) * LINE_POINTS - 3;
}

/**
 * Draws one page's lines and screens the rows they ink into a new page, a strip at a time: each strip of the rows from
 * the first line's top to the last one's bottom gets the lines that reach it, drawn shifted up by a whole number of
 * rows (the same pixels as on a whole page), is screened into the page, and is whitened again.
 */
function drawPage({ canvas, ctx }: StripCanvas, lines: readonly string[], geometry: FaxGeometry): BilevelPage {
  const page = createPage(geometry);
  const xScale = geometry.xResolution / 72;
  const yScale = geometry.yResolution / 72;
  // User space is in points here, so a "px" font size is a point size.
  ctx.setTransform(xScale, 0, 0, yScale, 0, 0);
  const bands = inkedRows(ctx, lines, geometry);
  let first = geometry.height;
  let last = 0;
  for (const band of bands) {
    if (band) {
      first = Math.min(first, band.top);
      last = Math.max(last, band.bottom);
    }
  }
  const rowBytes = canvas.width * 4;
  for (let top = first; top < last; top += STRIP_ROWS) {
    const rows = Math.min(STRIP_ROWS, last - top);
    try {
      ctx.setTransform(xScale, 0, 0, yScale, 0, -top);
      ctx.fillStyle = '#000000';
      for (const [i, line] of lines.entries()) {
        const band = bands[i];
        if (band && band.top < top + rows && band.bottom > top) ctx.fillText(line, MARGIN_POINTS, baselinePoints(i));
      }
      // data() draws what is pending and lends the canvas's own pixels, without a copy of them for the caller.
      screenRgbaRows(canvas.data().subarray(0, rows * rowBytes), page, top);
    } finally {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, canvas.width, STRIP_ROWS);
    }
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
  return drawPage(await stripCanvas(geometry), lines, geometry);
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
  const canvas = await stripCanvas(geometry);
  for (const [index, lines] of sheets.entries()) {
    budget.checkPage(index + 1, geometry);
    sink(drawPage(canvas, lines, geometry));
  }
}
