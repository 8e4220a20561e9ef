import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('forgets the entry set longest ago once past its limit, counting a set again as new', () => {
    const map = new BoundedMap<string, number>(3);
    map.set('a', 1).set('b', 2).set('c', 3);
    map.set('a', 10);
    map.set('d', 4);
    assert.deepEqual(
      [...map],
      [
        ['c', 3],
        ['a', 10],
        ['d', 4],
      ],
    );
    map.delete('c');
    map.set('e', 5);
    assert.deepEqual([...map.keys()], ['a', 'd', 'e']);
  });
});
