// `fax convert INPUT... -o OUTPUT`: documents to fax pages, written as TIFF Class F, PDF or PNG (DESIGN.md §3).
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { DecodeError } from '@faxd/protocol/bits/decode-error';
import type { Compression } from '@faxd/protocol/image/codec';
import type { FaxResolution, PaperSize } from '@faxd/protocol/image/geometry';
import type { BilevelPage } from '@faxd/protocol/image/page';
import type { CodedTiffPage } from '@faxd/protocol/image/tiff/tiff-writer';
import {
  DEFAULT_DOCUMENT_LIMITS,
  DocumentBudget,
  DocumentError,
  encodeFaxPdf,
  encodeFaxTiff,
  encodePng,
  forEachCodedPage,
  forEachDocumentPage,
} from '@faxd/server/document-conversion';
import { type OutputFile, writeOutputFiles } from '../output-files.js';
import { parseCommandLine } from '../run-command.js';
import { UserError } from '../user-error.js';

const RESOLUTIONS: readonly FaxResolution[] = ['standard', 'fine', 'superfine'];
const COMPRESSIONS: readonly Compression[] = ['mh', 'mr', 'mmr'];
const PAPERS: readonly PaperSize[] = ['a4', 'letter', 'legal', 'b4'];

export const CONVERT_USAGE = `usage: fax convert INPUT... -o OUTPUT [--resolution standard|fine|superfine]
                   [--compression mh|mr|mmr] [--paper a4|letter|legal|b4]

INPUT: PDF, TIFF (bilevel), PNG, JPEG or plain text; several are concatenated in order.
OUTPUT by extension: .tif/.tiff (TIFF Class F), .pdf, .png (several pages: NAME-1.png, NAME-2.png, ...).
`;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function parseConvertArgs(args: string[]) {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        resolution: { type: 'string' },
        compression: { type: 'string' },
        paper: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (values.help) return undefined;
  if (positionals.length === 0) throw new UserError('no input files (usage: fax convert INPUT... -o OUTPUT)');
  if (!values.output) throw new UserError('no output file: give -o OUTPUT');
  return {
    inputs: positionals,
    output: values.output,
    resolution: oneOf('resolution', values.resolution, RESOLUTIONS),
    compression: oneOf('compression', values.compression, COMPRESSIONS) ?? 'mmr',
    paper: oneOf('paper', values.paper, PAPERS) ?? 'a4',
  };
}

type OutputKind = 'tiff' | 'pdf' | 'png';

function outputKind(path: string): OutputKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.tif' || ext === '.tiff') return 'tiff';
  if (ext === '.pdf') return 'pdf';
  if (ext === '.png') return 'png';
  throw new UserError(`cannot tell the output format from "${basename(path)}": use .tif, .tiff, .pdf or .png`);
}

/** One PNG per page: the name itself for a single page, NAME-1.png, NAME-2.png, ... for several. */
async function pngFiles(output: string, pages: readonly BilevelPage[]): Promise<OutputFile[]> {
  const stem = output.slice(0, output.length - extname(output).length);
  return Promise.all(
    pages.map(async (page, i) => ({
      path: pages.length === 1 ? output : `${stem}-${i + 1}.png`,
      bytes: await encodePng(page),
    })),
  );
}

/**
 * Reads one input file and hands its bytes to `load`, which turns them into pages; problems with it are reported with
 * its name. The budget is the whole conversion's: the inputs together are held to the limits a faxd job is, so what
 * converts here is what faxd would accept.
 */
async function loadInput(input: string, budget: DocumentBudget, load: (bytes: Uint8Array) => Promise<void>) {
  const bytes = await readFile(input).catch((error: NodeJS.ErrnoException) => {
    error.path ??= input; // reading a directory fails without naming it
    throw error;
  });
  try {
    budget.startDocument();
    await load(bytes);
  } catch (error) {
    if (error instanceof DecodeError) throw new UserError(`${input}: damaged or unsupported TIFF: ${error.message}`);
    if (error instanceof DocumentError) throw new UserError(`${input}: ${error.message}`);
    throw error;
  }
}

export async function convertCommand(args: string[]): Promise<void> {
  const options = parseConvertArgs(args);
  if (!options) return void process.stdout.write(CONVERT_USAGE);
  const kind = outputKind(options.output);
  const budget = new DocumentBudget(DEFAULT_DOCUMENT_LIMITS);
  const now = new Date();
  let files: OutputFile[];
  if (kind === 'tiff') {
    // Each page is coded as soon as it is decoded or drawn, as tiffcp does, so at most one page's bitmap is alive at a
    // time (a 150-page TIFF otherwise holds 75 MB of bitmaps), and TIFF pages that stay as they are need none.
    const { compression } = options;
    const coded: CodedTiffPage[] = [];
    const sink = (page: CodedTiffPage) => void coded.push(page);
    for (const input of options.inputs) {
      await loadInput(input, budget, (bytes) =>
        forEachCodedPage(bytes, { paper: options.paper, resolution: options.resolution, budget }, compression, sink),
      );
    }
    files = [{ path: options.output, bytes: encodeFaxTiff(coded, { compression, dateTime: now }) }];
  } else {
    const pages: BilevelPage[] = [];
    const sink = (page: BilevelPage) => void pages.push(page);
    for (const input of options.inputs) {
      await loadInput(input, budget, (bytes) =>
        forEachDocumentPage(bytes, { paper: options.paper, resolution: options.resolution, budget }, sink),
      );
    }
    if (kind === 'png') files = await pngFiles(options.output, pages);
    else files = [{ path: options.output, bytes: encodeFaxPdf(pages, { creationDate: now }) }];
  }
  await writeOutputFiles(files);
}
