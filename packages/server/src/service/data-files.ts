// Where faxd keeps files under its data directory, and a write that is never seen half done (temp file + rename), so a
// crash leaves either the old file or the new one.

import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export class DataFiles {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  get database(): string {
    return join(this.root, 'faxd.sqlite');
  }

  jobDirectory(jobId: string): string {
    return join(this.root, 'jobs', jobId);
  }

  /** The job's document rendered to TIFF Class F at submission: what every attempt sends. */
  jobFax(jobId: string): string {
    return join(this.jobDirectory(jobId), 'fax.tif');
  }

  inboxFax(messageId: string, format: 'tif' | 'pdf'): string {
    return join(this.root, 'inbox', `${messageId}.${format}`);
  }
}

export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.partial-${randomBytes(4).toString('hex')}`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}

/** A short random id for jobs and messages: 12 hex digits, easy to type after `fax job`. */
export function newId(): string {
  return randomBytes(6).toString('hex');
}
