// Test support: what a port's resource (GET /v1/ports/{id}) says of its call while a fax runs: its media, and once the
// DCS is in, the modem, bit rate and ECM. Polled until `over` settles; the last sighting with a modem is kept.
import type { FaxPortCall } from '@faxd/contract';
import { requestJson } from './faxd-fixture.js';

export interface PortCallWatch {
  /** The last call the port showed with its modem known; undefined if it never did. */
  readonly seen: Promise<FaxPortCall | undefined>;
}

export function watchPortCall(base: string, deviceId: number, over: Promise<unknown>): PortCallWatch {
  let done = false;
  const stop = () => {
    done = true;
  };
  over.then(stop, stop);
  const poll = async (): Promise<FaxPortCall | undefined> => {
    let seen: FaxPortCall | undefined;
    while (!done) {
      const { body } = await requestJson(base, `/v1/ports/${deviceId}`);
      const call = (body as { call: FaxPortCall | null }).call;
      if (call?.modem) seen = call;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return seen;
  };
  return { seen: poll() };
}
