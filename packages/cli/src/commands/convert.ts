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
  encodePng,
  type FileSource,
  faxTiffWriter,
  forEachCodedPage,
  forEachDocumentPage,
  isTiff,
  openFileSource,
} from '@faxd/server/document-conversion';
import { type OutputFile, StreamedOutputFile, writeOutputFiles } from '../output-files.js';
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
 * Loads one input file with `load`, which reads it and turns it into pages; problems with it are reported with its
 * name. The budget is the whole conversion's: the inputs together are held to the limits a faxd job is, so what
 * converts here is what faxd would accept.
 */
async function loadInput(input: string, budget: DocumentBudget, load: () => Promise<void>) {
  try {
    budget.startDocument();
    await load();
  } catch (error) {
    if (error instanceof DecodeError) throw new UserError(`${input}: damaged or unsupported TIFF: ${error.message}`);
    if (error instanceof DocumentError) throw new UserError(`${input}: ${error.message}`);
    // Reading a directory fails without naming it.
    if (error instanceof Error && 'code' in error) (error as NodeJS.ErrnoException).path ??= input;
    throw error;
  }
}

/**
 * Hands `use` the input as pages coded for a TIFF want it: a TIFF file opened for reads at offsets, so its pages are
 * read one strip at a time as they are coded (a long fax never lies whole in memory, as with tiffcp), anything else
 * read whole to be drawn.
 */
async function withCodedInput(input: string, use: (document: Uint8Array | FileSource) => Promise<void>) {
  const source = openFileSource(input);
  try {
    await use(isTiff(source.read(0, Math.min(4, source.size))) ? source : await readFile(input));
  } finally {
    source.close();
  }
}

type ConvertOptions = NonNullable<ReturnType<typeof parseConvertArgs>>;

/**
 * A TIFF output: each page is coded as soon as it is read, decoded or drawn and goes to the file at once, as tiffcp
 * does, so at most one page is alive at a time, and TIFF pages that stay as they are need no bitmap. The file grows
 * under a temporary name and is renamed into place once whole.
 */
async function convertToTiff(options: ConvertOptions, budget: DocumentBudget, now: Date): Promise<void> {
  const { compression } = options;
  const output = new StreamedOutputFile(options.output);
  try {
    const writer = faxTiffWriter({ compression, dateTime: now });
    const sink = (page: CodedTiffPage) => output.append(writer.addPage(page));
    const loadOptions = { paper: options.paper, resolution: options.resolution, budget };
    for (const input of options.inputs) {
      await loadInput(input, budget, () =>
        withCodedInput(input, (document) => forEachCodedPage(document, loadOptions, compression, sink)),
      );
    }
    for (const patch of writer.finish()) output.writeAt(patch.offset, patch.bytes);
    output.commit();
  } catch (error) {
    output.discard();
    throw error;
  }
}

export async function convertCommand(args: string[]): Promise<void> {
  const options = parseConvertArgs(args);
  if (!options) return void process.stdout.write(CONVERT_USAGE);
  const kind = outputKind(options.output);
  const budget = new DocumentBudget(DEFAULT_DOCUMENT_LIMITS);
  const now = new Date();
  if (kind === 'tiff') return convertToTiff(options, budget, now);
  const pages: BilevelPage[] = [];
  const sink = (page: BilevelPage) => void pages.push(page);
  const loadOptions = { paper: options.paper, resolution: options.resolution, budget };
  for (const input of options.inputs) {
    await loadInput(input, budget, async () => forEachDocumentPage(await readFile(input), loadOptions, sink));
  }
  const files =
    kind === 'png'
      ? await pngFiles(options.output, pages)
      : [{ path: options.output, bytes: encodeFaxPdf(pages, { creationDate: now }) }];
  await writeOutputFiles(files);
}
