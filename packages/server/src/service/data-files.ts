// Where faxd keeps files under its data directory, and a write that is never seen half done (temp file + rename), so a
// crash leaves either the old file or the new one, and that is on the disk when it resolves (fsync of the file and of
// its directory), so a crash or power cut after a fax was confirmed cannot take the file back.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The name of a job's (or a broadcast's) fax beside its originals. */
export const FAX_FILE = 'fax.tif';

export class DataFiles {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** Bytes an unprivileged writer can still use on the file system under the data directory. */
  async freeBytes(): Promise<number> {
    const { bavail, bsize } = await statfs(this.root);
    return bavail * bsize;
  }

  jobDirectory(jobId: string): string {
    return join(this.root, 'jobs', jobId);
  }

  /**
   * The job's document rendered to TIFF Class F at submission: what every attempt sends. A broadcast's job has it
   * in its broadcast's directory while queued, and here, as a hard link to that one file, once archived.
   */
  jobFax(jobId: string): string {
    return join(this.jobDirectory(jobId), FAX_FILE);
  }

  /** The job's cover page, one page of TIFF Class F drawn for its recipient, sent ahead of its fax (readJobFax). */
  jobCover(jobId: string): string {
    return join(this.jobDirectory(jobId), 'cover.tif');
  }

  /** Where a broadcast's originals and fax are kept, once for all its jobs, while any of them is queued. */
  broadcastDirectory(broadcastId: string): string {
    return join(this.broadcastsDirectory, broadcastId);
  }

  get broadcastsDirectory(): string {
    return join(this.root, 'broadcasts');
  }

  broadcastFax(broadcastId: string): string {
    return join(this.broadcastDirectory(broadcastId), FAX_FILE);
  }

  /** Page `page` (from 1) of a reception, written as it arrives and before it is confirmed to the sender. */
  receivedPage(jobId: string, page: number): string {
    return join(this.jobDirectory(jobId), `page-${page}.tif`);
  }

  inboxFax(messageId: string, format: 'tif' | 'pdf'): string {
    return join(this.root, 'inbox', `${messageId}.${format}`);
  }
}

/** Writes `bytes` to `path` durably; a write that fails leaves no `.partial-*` file behind. */
export function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  return writeFilesAtomic([{ path, bytes }]);
}

/** A file of a group written by writeFilesAtomic. */
export interface FileBytes {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * Writes each of `files` durably, as writeFileAtomic would one by one, but with one sync for each directory they go
 * in rather than one for each file: every file is written and synced under a temporary name, then all are renamed in
 * order, then each directory's entries are synced once. A write that fails leaves no `.partial-*` file behind; files
 * of the group already renamed stay, as they would after writeFileAtomic one by one.
 */
export async function writeFilesAtomic(files: readonly FileBytes[]): Promise<void> {
  const directories = [...new Set(files.map(({ path }) => dirname(path)))];
  for (const directory of directories) await mkdir(directory, { recursive: true });
  const suffix = `.partial-${randomBytes(4).toString('hex')}`;
  const temporaries = files.map(({ path }) => `${path}${suffix}`);
  try {
    // Written side by side, their syncs waiting on the disk together instead of in turn; all of them settled before
    // any is cleaned up, so none is created after its removal.
    const written = await Promise.allSettled(files.map(({ bytes }, i) => writeAndSync(temporaries[i], bytes)));
    for (const outcome of written) if (outcome.status === 'rejected') throw outcome.reason;
    for (const [i, { path }] of files.entries()) await rename(temporaries[i], path);
  } catch (error) {
    // The write's own error is the one to report; a temporary file that will not go either is just left behind.
    await Promise.all(temporaries.map((temporary) => rm(temporary, { force: true }).catch(() => {})));
    throw error;
  }
  // The renames are durable only once the directories' entries are on disk too.
  for (const directory of directories) {
    const entry = await open(directory, 'r');
    try {
      await entry.sync();
    } finally {
      await entry.close();
    }
  }
}

async function writeAndSync(path: string, bytes: Uint8Array): Promise<void> {
  const file = await open(path, 'w');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** The bytes of `path`, or undefined when there is no such file (purged, say). */
export async function readFileIfThere(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Whether a write failed for want of space (a full disk or quota, SQLite's full database, or PostgreSQL's SQLSTATE
 * 53100 disk_full), not for a fault.
 */
export function isStorageFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || code === '53100';
}

/** What a failed file operation says without its message, which names paths a client must not see: its code. */
export function faultCodeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'an unknown error';
}

/** A short random id for jobs and messages: 12 hex digits, easy to type after `fax job`. */
export function newId(): string {
  return randomBytes(6).toString('hex');
}
