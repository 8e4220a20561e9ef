// Plain text to fax pages: DejaVu Sans Mono 10 pt on 12 pt lines, 0.75 in margins, long lines wrapped, tabs every 8
// columns, a form feed starting a new page. The font ships in the dejavu-fonts-ttf package (free licence).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FaxGeometry } from '@faxd/protocol/image/geometry';
import type { BilevelPage } from '@faxd/protocol/image/page';
import type { Canvas } from '@napi-rs/canvas';
import { screenRgba } from './bilevel.js';
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
 * One canvas per page size, kept for the next document: a fax page's canvas is some 16 MB of native memory, which the
 * allocator does not hand back promptly, so a canvas made per document (as before) let a burst of small text
 * submissions grow the process by gigabytes.
 */
const canvases = new Map<string, Canvas>();

async function pageCanvas(geometry: FaxGeometry): Promise<Canvas> {
  const key = `${geometry.width}x${geometry.height}`;
  let canvas = canvases.get(key);
  if (!canvas) {
    const { createCanvas } = await loadCanvas();
    canvas = createCanvas(geometry.width, geometry.height);
    canvases.set(key, canvas);
  }
  return canvas;
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
  const canvas = await pageCanvas(geometry);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, geometry.width, geometry.height);
  ctx.setTransform(geometry.xResolution / 72, 0, 0, geometry.yResolution / 72, 0, 0);
  ctx.fillStyle = '#000000';
  // User space is in points here, so a "px" size is a point size.
  ctx.font = `${FONT_POINTS}px ${FONT_FAMILY}`;
  ctx.textBaseline = 'alphabetic';
  for (const [i, line] of lines.entries()) ctx.fillText(line, MARGIN_POINTS, MARGIN_POINTS + (i + 1) * LINE_POINTS - 3);
  return screenRgba(canvas.data(), geometry);
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
  for (const [index, lines] of sheets.entries()) {
    budget.checkPage(index + 1, geometry);
    sink(await drawTextPage(lines, geometry));
  }
}
