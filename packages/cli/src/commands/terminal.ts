// `fax terminal send|receive`: a one-shot fax terminal on UDP, T.38 over UDPTL or G.711 over RTP, no server, no SIP
// (DESIGN.md §3).
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type BilevelPage, DecodeError, type Modem, nearestResolution } from '@faxd/protocol';
import { DocumentError, encodeFaxTiff, loadDocumentPages } from '@faxd/server/document-conversion';
import {
  ALL_MODEMS,
  type CallCompression,
  type CallMedia,
  parseUdpEndpoint,
  runT38Call,
  type T38CallResult,
  type UdpEndpoint,
} from '@faxd/server/t38-terminal';
import { parseCommandLine } from '../run-command.js';
import { UserError } from '../user-error.js';

export const TERMINAL_USAGE = `usage: fax terminal send FILE... --bind HOST:PORT --peer HOST:PORT [options]
       fax terminal receive -o OUT.tif --bind HOST:PORT --peer HOST:PORT [options]

A one-shot fax terminal on UDP. send calls and receive answers unless --answer or --call.
Options: --media t38|pcmu|pcma (T.38 over UDPTL, default; or G.711 in 20 ms RTP packets on faxd's modems),
         --modems v17,v29,v27ter (image modems offered, default all), --no-ecm,
         --compression mh|mr|mmr (best allowed, default mmr), --ident TEXT (TSI/CSI),
         --redundancy N (UDPTL secondaries, default 3), --timeout SECONDS (default 300), --json.
Exit status 0 when every page was confirmed (MCF), 1 otherwise.
`;

const COMPRESSIONS: readonly CallCompression[] = ['mh', 'mr', 'mmr'];
const MEDIA: readonly CallMedia[] = ['t38', 'pcmu', 'pcma'];

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UserError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

/** `--modems v17,v29`: a comma-separated subset of the image modems, at least one. */
function modemList(value: string | undefined): readonly Modem[] {
  if (value === undefined) return ALL_MODEMS;
  const modems = value.split(',').map((name) => name.trim().toLowerCase());
  for (const modem of modems) {
    if (!(ALL_MODEMS as readonly string[]).includes(modem)) {
      throw new UserError(`--modems takes ${ALL_MODEMS.join(',')} or a part of them (got "${value}")`);
    }
  }
  return [...new Set(modems)] as Modem[];
}

function endpoint(name: string, value: string | undefined): UdpEndpoint {
  if (value === undefined) throw new UserError(`--${name} HOST:PORT is required`);
  try {
    return parseUdpEndpoint(value);
  } catch {
    throw new UserError(`--${name} must be HOST:PORT (got "${value}")`);
  }
}

function count(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UserError(`--${name} must be a whole number >= ${min} (got "${value}")`);
  return n;
}

function parseTerminalArgs(args: string[]) {
  const { values, positionals } = parseCommandLine(() =>
    parseArgs({
      args,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        bind: { type: 'string' },
        peer: { type: 'string' },
        answer: { type: 'boolean' },
        call: { type: 'boolean' },
        'no-ecm': { type: 'boolean' },
        compression: { type: 'string' },
        ident: { type: 'string' },
        redundancy: { type: 'string' },
        timeout: { type: 'string' },
        media: { type: 'string' },
        modems: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  const [mode, ...files] = positionals;
  if (values.help || mode === undefined) return undefined;
  if (mode !== 'send' && mode !== 'receive') throw new UserError(`unknown terminal mode "${mode}": send or receive`);
  if (mode === 'send' && files.length === 0) throw new UserError('no files to send (fax terminal send FILE...)');
  if (mode === 'receive' && files.length > 0) throw new UserError('receive takes no files: give -o OUT.tif');
  if (mode === 'receive' && !values.output) throw new UserError('no output file: give -o OUT.tif');
  if (values.answer && values.call) throw new UserError('--answer and --call exclude each other');
  const compression = oneOf('compression', values.compression ?? 'mmr', COMPRESSIONS);
  const ident = values.ident ?? '';
  if (ident.length > 20 || !/^[\x20-\x7e]*$/.test(ident)) {
    throw new UserError('--ident must be at most 20 printable ASCII characters');
  }
  const calling = values.call || (mode === 'send' && !values.answer);
  return {
    mode,
    files,
    output: values.output,
    role: calling ? ('calling' as const) : ('answering' as const),
    bind: endpoint('bind', values.bind),
    peer: endpoint('peer', values.peer),
    ecm: !values['no-ecm'],
    compression,
    media: oneOf('media', values.media ?? 't38', MEDIA),
    modems: modemList(values.modems),
    ident,
    redundancy: count('redundancy', values.redundancy, 3, 0),
    timeoutSeconds: count('timeout', values.timeout, 300, 1),
    json: values.json ?? false,
  };
}

/** Every page at the first page's resolution: one DCS covers the whole call. */
async function loadPages(files: readonly string[]): Promise<BilevelPage[]> {
  const pages: BilevelPage[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    const first = pages[0];
    const resolution = first && nearestResolution(first.xResolution, first.yResolution);
    try {
      pages.push(...(await loadDocumentPages(bytes, { paper: 'a4', resolution })));
    } catch (error) {
      if (error instanceof DecodeError) throw new UserError(`${file}: damaged or unsupported TIFF: ${error.message}`);
      if (error instanceof DocumentError) throw new UserError(`${file}: ${error.message}`);
      throw error;
    }
  }
  return pages;
}

function report(result: T38CallResult, json: boolean): string {
  const { ok, pages, remoteIdent, bitRate, ecm, compression, resolution, seconds, reason, media, modem } = result;
  if (json) {
    const object = { ok, pages, remoteIdent, bitRate, ecm, compression, resolution, seconds, reason, media, modem };
    return `${JSON.stringify(object)}\n`;
  }
  const rate = modem ? `${modem} ${bitRate}` : `${bitRate}`;
  const how = bitRate ? `${rate} bit/s, ${ecm ? 'ECM' : 'no ECM'}, ${compression.toUpperCase()}, ${resolution}` : '';
  return `${ok ? 'ok' : `failed: ${reason}`}: ${pages} page(s)${remoteIdent ? ` with "${remoteIdent}"` : ''}${how ? `, ${how}` : ''}, ${seconds} s\n`;
}

export async function terminalCommand(args: string[]): Promise<void> {
  const options = parseTerminalArgs(args);
  if (!options) return void process.stdout.write(TERMINAL_USAGE);
  const pages = options.mode === 'send' ? await loadPages(options.files) : undefined;
  const result = await runT38Call({ ...options, pages });
  if (options.mode === 'receive' && result.received.length > 0) {
    const tiff = encodeFaxTiff(result.received, { compression: result.compression, dateTime: new Date() });
    await writeFile(options.output as string, tiff);
  }
  process.stdout.write(report(result, options.json));
  if (!result.ok) process.exitCode = 1;
}
