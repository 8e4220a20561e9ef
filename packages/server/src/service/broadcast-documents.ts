// A broadcast's one copy of its document (issue 19): the fax its jobs send is rendered and stored once, under
// broadcasts/<id>/, and read from there while they are queued. A job leaving the queue gets hard links to those files
// in its own directory, so the outgoing archive keeps each message's fax without a copy; once no job of the broadcast
// is left in the queue, the broadcast's directory goes.

import { link, mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hasLeftQueue } from '@faxd/contract';
import { joinFaxFiles } from '../documents/fax-files.js';
import type { FaxdDb } from '../store/database.js';
import type { JobRow } from '../store/job-rows.js';
import { type DataFiles, readFileIfThere } from './data-files.js';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: unknown) => {
      if (isMissing(error)) return false;
      throw error;
    },
  );
}

/** The documents' fax of an outbound job: its own file, else its broadcast's; undefined when neither is there. */
async function readDocumentsFax(
  files: DataFiles,
  row: Pick<JobRow, 'id' | 'broadcast_id'>,
): Promise<Uint8Array | undefined> {
  const own = files.jobFax(row.id);
  if (row.broadcast_id === null) return readFileIfThere(own);
  // The job's own file is looked for again last, as a broadcast's directory goes only after every job has its links.
  return (
    (await readFileIfThere(own)) ??
    (await readFileIfThere(files.broadcastFax(row.broadcast_id))) ??
    (await readFileIfThere(own))
  );
}

/**
 * The fax an outbound job sends (or sent): its cover page, if it has one, ahead of its documents' fax (its own, else
 * its broadcast's); undefined when the documents are not there (purged).
 */
export async function readJobFax(
  files: DataFiles,
  row: Pick<JobRow, 'id' | 'broadcast_id' | 'submission_time'>,
): Promise<Uint8Array | undefined> {
  const documents = await readDocumentsFax(files, row);
  if (!documents) return undefined;
  const cover = await readFileIfThere(files.jobCover(row.id));
  return cover ? joinFaxFiles([cover, documents], new Date(row.submission_time)) : documents;
}

export class BroadcastDocuments {
  readonly #db: FaxdDb;
  readonly #files: DataFiles;

  constructor(db: FaxdDb, files: DataFiles) {
    this.#db = db;
    this.#files = files;
  }

  /** Gives job `jobId` of `broadcastId` hard links to the broadcast's files; nothing when they are already gone. */
  async linkForArchive(broadcastId: string, jobId: string): Promise<void> {
    const source = this.#files.broadcastDirectory(broadcastId);
    let names: string[];
    try {
      // A write interrupted at submission may have left a temporary file: it is no part of the document.
      names = (await readdir(source)).filter((name) => !name.includes('.partial-'));
    } catch (error) {
      // Released: every job that had left the queue was linked before the directory went.
      if (isMissing(error)) return;
      throw error;
    }
    const target = this.#files.jobDirectory(jobId);
    await mkdir(target, { recursive: true });
    for (const name of names) {
      const linked = join(target, name);
      await link(join(source, name), linked).catch(async (error: NodeJS.ErrnoException) => {
        // Linked already: by an earlier try, or by a release that has since removed the source.
        if (error.code === 'EEXIST' || (isMissing(error) && (await exists(linked)))) return;
        throw error;
      });
    }
    // The links must outlive a crash as the broadcast's own entries would have: the directory's entries go to disk.
    const directory = await open(target, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  /**
   * Removes the broadcast's directory once none of its jobs is queued (a job in fjsRETRIES_EXCEEDED still is: it may
   * be restarted), after giving every job that has left the queue its links.
   */
  async release(broadcastId: string): Promise<void> {
    const jobs = await this.#db
      .selectFrom('jobs')
      .select(['id', 'status'])
      .where('broadcast_id', '=', broadcastId)
      .execute();
    if (jobs.some((job) => !hasLeftQueue(job.status))) return;
    for (const job of jobs) await this.linkForArchive(broadcastId, job.id);
    await rm(this.#files.broadcastDirectory(broadcastId), { recursive: true, force: true });
  }

  /**
   * At start: releases every broadcast whose directory is still there, keeping those with a job queued. A directory
   * without jobs is a submission cut short before its jobs were recorded, and goes.
   */
  async sweep(): Promise<void> {
    let broadcastIds: string[];
    try {
      broadcastIds = await readdir(this.#files.broadcastsDirectory);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const broadcastId of broadcastIds) await this.release(broadcastId);
  }
}
