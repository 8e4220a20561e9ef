// Writing command output so that a failure never leaves a partial file behind: temp files renamed into place at the end.
import { rename, rm, writeFile } from 'node:fs/promises';

export interface OutputFile {
  path: string;
  bytes: Uint8Array;
}

/** Writes every file to a temporary name beside it, then renames them all; on any failure removes what it wrote. */
export async function writeOutputFiles(files: readonly OutputFile[]): Promise<void> {
  const temps = files.map((f) => `${f.path}.partial-${process.pid}`);
  try {
    for (const [i, file] of files.entries()) await writeFile(temps[i], file.bytes);
    for (const [i, file] of files.entries()) await rename(temps[i], file.path);
  } catch (error) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw error;
  }
}
