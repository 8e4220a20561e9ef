// FaxPorts: the server's ports as the legacy IFaxPorts collection (faxcom.h): Count, and Item with a 1-based index.

import { itemAt } from './collection-index.js';
import type { FaxPort } from './fax-port.js';

export class FaxPorts implements Iterable<FaxPort> {
  readonly #ports: readonly FaxPort[];

  /** Made by the SDK; applications get one from FaxServer.getPorts(). */
  constructor(ports: readonly FaxPort[]) {
    this.#ports = ports;
  }

  get count(): number {
    return this.#ports.length;
  }

  /** The port at `index`, counting from 1 as COM collections do; a RangeError outside 1..count. */
  item(index: number): FaxPort {
    return itemAt(this.#ports, index, 'port');
  }

  [Symbol.iterator](): Iterator<FaxPort> {
    return this.#ports[Symbol.iterator]();
  }
}
