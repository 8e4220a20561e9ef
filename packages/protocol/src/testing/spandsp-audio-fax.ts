// Test support: SpanDSP's audio fax terminal (interop/spandsp/audio-fax-peer.c) as the far end of a faxd audio fax
// station, the two joined sample to sample in lock step through pipes, 20 ms per step, or as G.711 RTP on UDP in real
// time (audio-fax reference §6.3).

import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import type { AudioFaxStation } from '../audio-fax/audio-fax-station.js';
import type { AudioPath } from './audio-link.js';
import { PACKET_SAMPLES } from './audio-link.js';
import { buildCPeer, type CPeerRecipe, missingLibraryError } from './c-peer-build.js';
import type { SpandspT30Result } from './spandsp-t30-result.js';

const AUDIO_FAX_PEER: CPeerRecipe = {
  name: 'audio-fax-peer',
  source: 'interop/spandsp/audio-fax-peer.c',
  headers: ['spandsp.h', 'tiffio.h'],
  localHeaders: ['interop/spandsp/peer-support.h'],
  libraries: ['spandsp', 'tiff', 'm'],
  installHint: 'apt-get install gcc libspandsp-dev libtiff-dev (or run .ci/run)',
};

export function buildAudioFaxPeer(): Promise<string> {
  return buildCPeer(AUDIO_FAX_PEER);
}

/** The peer's T.30 settings, whichever way it is joined to faxd. */
export interface SpandspAudioFaxOptions {
  /** SpanDSP sends the pages of `file`, or receives into it. */
  readonly mode: 'send' | 'receive';
  readonly file: string;
  /** Whether SpanDSP places the call. */
  readonly calling: boolean;
  readonly ecm: boolean;
  readonly compression: 'mh' | 'mr' | 'mmr';
  /** Image modems SpanDSP offers (all unless given). */
  readonly modems?: readonly ('v17' | 'v29' | 'v27ter')[];
  readonly ident?: string;
  /** Line time after which both ends give up (default 300 s). */
  readonly limitSeconds?: number;
}

export interface SpandspLockStepOptions extends SpandspAudioFaxOptions {
  /** What faxd's signal goes through on its way to SpanDSP, and SpanDSP's on its way back (untouched by default). */
  readonly toSpandsp?: AudioPath;
  readonly toFaxd?: AudioPath;
}

export interface SpandspRtpOptions extends SpandspAudioFaxOptions {
  /** G.711 in RTP on UDP at 127.0.0.1, paced in real time: SpanDSP's port and faxd's. */
  readonly law: 'pcmu' | 'pcma';
  readonly bindPort: number;
  readonly peerPort: number;
}

/** SpanDSP's view of the call (its T.30 statistics at phase E), and its log. */
export interface SpandspAudioFaxResult extends SpandspT30Result {
  readonly lineSeconds: number;
  readonly log: string;
}

/** Frames of the peer's stdout as they arrive, taken one 160-sample frame at a time. */
class FrameReader {
  #chunks: Buffer[] = [];
  #buffered = 0;
  #ended = false;
  #wake: (() => void) | undefined;

  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      this.#wake?.();
    });
    stream.on('end', () => {
      this.#ended = true;
      this.#wake?.();
    });
  }

  /** The next frame, or undefined once the peer has closed its side. */
  async next(): Promise<Int16Array | undefined> {
    const bytes = PACKET_SAMPLES * 2;
    while (this.#buffered < bytes) {
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
    const all = Buffer.concat(this.#chunks);
    this.#chunks = [all.subarray(bytes)];
    this.#buffered -= bytes;
    const frame = new Int16Array(PACKET_SAMPLES);
    for (let i = 0; i < PACKET_SAMPLES; i++) frame[i] = all.readInt16LE(2 * i);
    return frame;
  }
}

/** The peer started with `extra` arguments after the T.30 ones; `finish` waits for it and reads its result. */
async function startPeer(options: SpandspAudioFaxOptions, extra: readonly string[]) {
  const binary = await buildAudioFaxPeer();
  const resultFile = `${options.file}.result.json`;
  const args = [options.mode, '--file', options.file, options.calling ? '--calling' : '--answering'];
  args.push('--compression', options.compression, '--result', resultFile, '--verbose');
  if (!options.ecm) args.push('--no-ecm');
  if (options.modems) args.push('--modems', options.modems.join(','));
  if (options.ident) args.push('--ident', options.ident);
  args.push('--max-seconds', String(options.limitSeconds ?? 300), ...extra);
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const finish = async (): Promise<SpandspAudioFaxResult> => {
    const code = await exited;
    const missingLibrary = missingLibraryError(AUDIO_FAX_PEER, log);
    if (missingLibrary) throw missingLibrary;
    let text: string;
    try {
      text = await readFile(resultFile, 'utf8');
    } catch {
      throw new Error(`the audio fax peer left no result (exit ${code}):\n${log.split('\n').slice(-40).join('\n')}`);
    }
    await rm(resultFile, { force: true });
    return { ...(JSON.parse(text) as Omit<SpandspAudioFaxResult, 'log'>), log };
  };
  return { child, finish };
}

/** SpanDSP's audio fax terminal on RTP (real time, its own pacing) until its call is over; faxd runs elsewhere. */
export async function runSpandspRtp(options: SpandspRtpOptions): Promise<SpandspAudioFaxResult> {
  const extra = ['--rtp', options.law, '--bind', String(options.bindPort), '--peer', String(options.peerPort)];
  const { child, finish } = await startPeer(options, extra);
  child.stdin.end();
  return finish();
}

/**
 * Runs `station` (started here) against SpanDSP until both are done: SpanDSP leaves a second after its phase E, and
 * the station hears silence after that until its own last signal is out.
 */
export async function callSpandsp(
  station: AudioFaxStation,
  options: SpandspLockStepOptions,
): Promise<SpandspAudioFaxResult> {
  const { child, finish } = await startPeer(options, []);
  const limitSeconds = options.limitSeconds ?? 300;
  // A peer that is gone makes writes fail; the reader's end tells the loop so.
  child.stdin.on('error', () => {});
  const reader = new FrameReader(child.stdout);
  const steps = (limitSeconds * 8000) / PACKET_SAMPLES + 500;
  let heard: Int16Array = new Int16Array(PACKET_SAMPLES);
  let missing: Uint8Array | undefined;
  let peerOn = true;
  for (let step = 0; step < steps && (peerOn || !station.finished); step++) {
    const out = new Int16Array(PACKET_SAMPLES);
    station.exchange(heard, out, missing);
    heard = new Int16Array(PACKET_SAMPLES);
    missing = undefined;
    if (!peerOn) continue;
    const sent = options.toSpandsp?.carry(out) ?? { samples: out };
    child.stdin.write(Buffer.from(sent.samples.buffer, sent.samples.byteOffset, sent.samples.byteLength));
    const frame = await reader.next();
    if (!frame) {
      peerOn = false;
      continue;
    }
    const back = options.toFaxd?.carry(frame) ?? { samples: frame };
    heard = back.samples;
    missing = back.missing;
  }
  child.stdin.end();
  return finish();
}
