// The queues' state (IFaxServer's outgoing queue blocked and paused, incoming queue blocked) as the store keeps it:
// one row, read at start and written on every change, so a restart keeps what an administrator set.

import type { FaxQueueState } from '@faxd/contract';
import type { FaxdDb } from '../store/database.js';

export async function readQueueState(db: FaxdDb): Promise<FaxQueueState> {
  const row = await db.selectFrom('queue_state').selectAll().executeTakeFirstOrThrow();
  return {
    outgoingQueueBlocked: row.outgoing_blocked === 1,
    outgoingQueuePaused: row.outgoing_paused === 1,
    incomingQueueBlocked: row.incoming_blocked === 1,
  };
}

export async function writeQueueState(db: FaxdDb, state: FaxQueueState): Promise<void> {
  await db
    .updateTable('queue_state')
    .set({
      outgoing_blocked: state.outgoingQueueBlocked ? 1 : 0,
      outgoing_paused: state.outgoingQueuePaused ? 1 : 0,
      incoming_blocked: state.incomingQueueBlocked ? 1 : 0,
    })
    .execute();
}
