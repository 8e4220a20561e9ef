// Writing command output so that a failure never leaves a partial file behind: temp files renamed into place at the end.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';

export interface OutputFile {
  path: string;
  bytes: Uint8Array;
}

/** Writes every file to a temporary name beside it, then renames them all; on any failure removes what it wrote. */
/** The temporary name a file is written under beside its own, until it is whole. */
function partialPath(path: string): string {
  return `${path}.partial-${process.pid}`;
}

export async function writeOutputFiles(files: readonly OutputFile[]): Promise<void> {
  const temps = files.map((f) => partialPath(f.path));
  try {
    for (const [i, file] of files.entries()) await writeFile(temps[i], file.bytes);
    for (const [i, file] of files.entries()) await rename(temps[i], file.path);
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw error;
  }
}

/**
 * One output file written piece by piece as its content is made (a long TIFF page by page), under the temporary
 * name writeOutputFiles uses: `commit` renames it into place, `discard` removes it, so a failure midway leaves no
 * partial file either. Writes are synchronous: the command has nothing else to do meanwhile.
 */
export class StreamedOutputFile {
  private readonly path: string;
  private readonly temp: string;
  private fd: number | undefined;

  constructor(path: string) {
    this.path = path;
    this.temp = partialPath(path);
    this.fd = openSync(this.temp, 'w');
  }

  /** Appends `parts` in order. */
  append(parts: readonly Uint8Array[]): void {
    for (const part of parts) this.write(part, null);
  }

  /** Overwrites bytes already written, at `offset`. */
  writeAt(offset: number, bytes: Uint8Array): void {
    this.write(bytes, offset);
  }

  commit(): void {
    this.close();
    renameSync(this.temp, this.path);
  }

  discard(): void {
    this.close();
    rmSync(this.temp, { force: true });
  }

  private write(bytes: Uint8Array, position: number | null): void {
    if (this.fd === undefined) throw new Error(`${this.path} is already closed`);
    let done = 0;
    while (done < bytes.length) {
      done += writeSync(this.fd, bytes, done, bytes.length - done, position === null ? null : position + done);
    }
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
