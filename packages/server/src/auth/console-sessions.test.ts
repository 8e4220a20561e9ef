// What a console session tells those watching it end (what its event streams close on): signing out, its expiry on
// its own timer with no request to look it up, and its expiry seen by a lookup; once each, and not after unwatching.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { ConsoleSessions, SESSION_SECONDS } from './console-sessions.js';

describe('console sessions ending', () => {
  let now = 0;
  let sessions: ConsoleSessions;
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    now = 1_000_000;
    sessions = new ConsoleSessions(() => now);
  });
  afterEach(() => mock.timers.reset());

  it('tells every watcher once when the session is signed out, and no one who stopped watching', () => {
    const { id } = sessions.open(7);
    const { id: other } = sessions.open(7);
    const told: string[] = [];
    sessions.whenEnded(id, () => told.push('first'));
    const unwatch = sessions.whenEnded(id, () => told.push('gone'));
    sessions.whenEnded(id, () => told.push('second'));
    sessions.whenEnded(other, () => told.push('other'));
    unwatch();
    sessions.close(id);
    sessions.close(id);
    assert.deepEqual(told, ['first', 'second']);
    assert.equal(sessions.find(id), undefined);
    assert.equal(sessions.find(other)?.userId, 7);
  });

  it('ends a watched session when it expires, with no request to look it up', () => {
    const { id } = sessions.open(7);
    let ended = 0;
    sessions.whenEnded(id, () => ended++);
    now += SESSION_SECONDS * 1000 - 1;
    mock.timers.tick(SESSION_SECONDS * 1000 - 1);
    assert.equal(ended, 0);
    now += 1;
    mock.timers.tick(1);
    assert.equal(ended, 1);
    assert.equal(sessions.find(id), undefined);
  });

  it('tells at once a watcher of a session already ended or expired', () => {
    const { id } = sessions.open(7);
    sessions.close(id);
    let told = 0;
    sessions.whenEnded(id, () => told++);
    const { id: expired } = sessions.open(8);
    now += SESSION_SECONDS * 1000;
    sessions.whenEnded(expired, () => told++);
    assert.equal(told, 2);
  });
});
