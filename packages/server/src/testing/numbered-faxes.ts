// Test support: faxes that carry their own number in pixels, so a test of many jobs can tell from an inbox alone which
// jobs arrived, how often, and whether whole: each page draws its job's number and its page number as a row of
// squares (one per bit), below the band the header line is stamped in. Submitted as TIFF in fax geometry, the pages
// reach the line pixel for pixel.

import { type BilevelPage, createPage, readTiff } from '@faxd/protocol';
import { encodeFaxTiff } from '../documents/fax-files.js';
import { type JsonBody, requestJson } from './faxd-fixture.js';

/** A4 at fine resolution (T.4 §2.2): 1728 pels across, 204 × 196 dpi; the length is short to keep calls cheap. */
const PAGE = { width: 1728, height: 600, xResolution: 204, yResolution: 196 };
const CELL = 24;
const BITS = 24;
const LEFT = 96;
/** Well below the header band (0.2 in, 39 rows at fine). */
const NUMBER_TOP = 120;
const PAGE_TOP = NUMBER_TOP + 2 * CELL;

function fill(page: BilevelPage, left: number, top: number, size: number): void {
  for (let y = top; y < top + size; y++) {
    for (let x = left; x < left + size; x++) {
      const at = y * page.stride + (x >> 3);
      page.data[at] = (page.data[at] as number) | (0x80 >> (x & 7));
    }
  }
}

function inked(page: BilevelPage, x: number, y: number): boolean {
  return (((page.data[y * page.stride + (x >> 3)] as number) << (x & 7)) & 0x80) !== 0;
}

/** Draws `value`'s bits, most significant first, as squares along the row at `top`, each cell's left half. */
function drawBits(page: BilevelPage, value: number, top: number): void {
  for (let bit = 0; bit < BITS; bit++) {
    if ((value >> (BITS - 1 - bit)) & 1) fill(page, LEFT + bit * 2 * CELL, top, CELL);
  }
}

function readBits(page: BilevelPage, top: number): number {
  let value = 0;
  for (let bit = 0; bit < BITS; bit++) {
    value = value * 2 + (inked(page, LEFT + bit * 2 * CELL + CELL / 2, top + CELL / 2) ? 1 : 0);
  }
  return value;
}

/** Page `page` (from 1) of job number `job`, a frame around the page so every page has rows of ink top to bottom. */
export function numberedPage(job: number, page: number): BilevelPage {
  const drawn = createPage(PAGE);
  drawBits(drawn, job, NUMBER_TOP);
  drawBits(drawn, page, PAGE_TOP);
  fill(drawn, LEFT, PAGE.height - 2 * CELL, CELL);
  return drawn;
}

/** The job and page numbers a received page carries. */
export function readNumberedPage(page: BilevelPage): { job: number; page: number } {
  return { job: readBits(page, NUMBER_TOP), page: readBits(page, PAGE_TOP) };
}

/** The fax of job number `job`: `pages` numbered pages as one TIFF Class F. */
export function numberedFax(job: number, pages: number): Uint8Array {
  const drawn = Array.from({ length: pages }, (_, i) => numberedPage(job, i + 1));
  return encodeFaxTiff(drawn, { compression: 'mmr', dateTime: new Date(0) });
}

/**
 * The configuration of `pairs` sandbox line pairs with ids from `firstId` (firstId with firstId + 1, …), for a node
 * that should fax to itself as fast as the CPU allows.
 */
export function sandboxLinePairs(firstId: number, pairs: number): Record<string, unknown>[] {
  return Array.from({ length: pairs * 2 }, (_, i) => {
    const id = firstId + i;
    return { id, kind: 'sandbox', peer: i % 2 === 0 ? id + 1 : id - 1, tsid: `SANDBOX ${id}`, csid: `SANDBOX ${id}` };
  });
}

/** The line a sandbox line of sandboxLinePairs(firstId, …) is paired with. */
export function sandboxPartnerOf(firstId: number, id: number): number {
  return (id - firstId) % 2 === 0 ? id + 1 : id - 1;
}

/** Submits job number `job` (a fax of `pages` numbered pages) to `to`; returns the job id. */
export async function submitNumberedFax(
  base: string,
  job: number,
  options: { to: string; pages: number; line?: number },
): Promise<string> {
  const contentBase64 = Buffer.from(numberedFax(job, options.pages)).toString('base64');
  const body = {
    to: options.to,
    ...(options.line !== undefined && { line: options.line }),
    documents: [{ name: `job-${job}.tif`, contentBase64 }],
  };
  const { status, body: answer } = await requestJson(base, '/v1/jobs', { method: 'POST', body });
  if (status !== 201) throw new Error(`job ${job} was refused: ${JSON.stringify(answer)}`);
  return answer.jobId;
}

/** `work` on each item, `concurrency` at a time; the results in the items' order. */
async function fewAtATime<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/**
 * Submits job numbers `jobs` alike, a few at a time (the converter refuses a burst past its queue with 503); returns
 * the job ids in the same order.
 */
export function submitNumberedFaxes(
  base: string,
  jobs: readonly number[],
  options: { to: string; pages: number },
  concurrency = 4,
): Promise<string[]> {
  return fewAtATime(jobs, concurrency, (job) => submitNumberedFax(base, job, options));
}

/** One received fax as its numbered pages say: the job number of each page and their page numbers in order. */
export interface NumberedArrival {
  readonly message: JsonBody;
  readonly jobs: number[];
  readonly pages: number[];
  /** The pages as decoded, for a test to compare pixel for pixel with what was sent. */
  readonly received: BilevelPage[];
}

/** Every fax in the inbox, read from its stored TIFF as the API serves it (a few downloads at a time). */
export async function readNumberedInbox(base: string): Promise<NumberedArrival[]> {
  const inbox = (await requestJson(base, '/v1/inbox')).body as JsonBody[];
  return fewAtATime(inbox, 8, async (message) => {
    const response = await fetch(`${base}/v1/inbox/${message.id}/document.tif`);
    if (!response.ok) throw new Error(`fax ${message.id} could not be downloaded: ${response.status}`);
    const received = readTiff(new Uint8Array(await response.arrayBuffer())).map(({ page }) => page);
    const read = received.map(readNumberedPage);
    return { message, jobs: read.map((r) => r.job), pages: read.map((r) => r.page), received };
  });
}

/**
 * The faxes that count as delivered copies of their jobs: every whole one, and a partial one holding all `pages` pages
 * of a job with no whole copy. That is what a call cut (its node killed) after the sender had its last page confirmed
 * leaves: the job completed, and the reception, whose call never ended, kept as partial with every page.
 */
export function deliveredCopies(arrivals: readonly NumberedArrival[], pages: number): NumberedArrival[] {
  const whole = arrivals.filter((arrival) => !arrival.message.partial);
  const wholeJobs = new Set(whole.map((arrival) => arrival.jobs[0]));
  const cutAfterLastPage = arrivals.filter(
    (arrival) => arrival.message.partial && arrival.pages.length === pages && !wholeJobs.has(arrival.jobs[0]),
  );
  return [...whole, ...cutAfterLastPage];
}

/**
 * Problems with an inbox that should hold exactly one whole fax of `pages` pages for each job number in `expected`:
 * a job missing or arriving twice, a fax mixing jobs, pages missing or out of order, a number nobody sent.
 */
export function numberedInboxProblems(arrivals: readonly NumberedArrival[], expected: Iterable<number>, pages: number) {
  const problems: string[] = [];
  const seen = new Map<number, number>();
  const wantedPages = Array.from({ length: pages }, (_, i) => i + 1).join(',');
  for (const arrival of arrivals) {
    const job = arrival.jobs[0] ?? -1;
    if (arrival.jobs.some((other) => other !== job))
      problems.push(`fax ${arrival.message.id} mixes jobs ${arrival.jobs}`);
    if (arrival.pages.join(',') !== wantedPages) problems.push(`job ${job} arrived with pages ${arrival.pages}`);
    seen.set(job, (seen.get(job) ?? 0) + 1);
  }
  const wanted = new Set(expected);
  for (const job of wanted) {
    const count = seen.get(job) ?? 0;
    if (count !== 1) problems.push(`job ${job} arrived ${count} times`);
  }
  for (const job of seen.keys()) if (!wanted.has(job)) problems.push(`job ${job} was never sent`);
  return problems;
}
