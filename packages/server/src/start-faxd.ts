// Starts the whole server from a configuration: the fax service and its HTTP API on the configured address.

import { unauthenticatedExposure } from './api/authentication.js';
import { buildHttpApp } from './api/http-app.js';
import type { FaxdConfig } from './config/faxd-config.js';
import { ConfigError, parseFaxdConfig } from './config/faxd-config.js';
import type { Clock } from './service/clock.js';
import { FaxService } from './service/fax-service.js';

export interface RunningFaxd {
  /** The API's base URL, e.g. http://127.0.0.1:8080 (the real port when the config asked for port 0). */
  readonly url: string;
  readonly service: FaxService;
  close(): Promise<void>;
}

/**
 * `config` is the JSON configuration (DESIGN.md §3), checked here; throws ConfigError on a bad one. `clock` times the
 * queue (the computer's clock unless a test brings its own).
 */
export async function startFaxd(config: unknown, clock?: Clock): Promise<RunningFaxd> {
  const parsed: FaxdConfig = parseFaxdConfig(config);
  const service = await FaxService.start(parsed, clock);
  try {
    const exposure = await unauthenticatedExposure(service);
    if (exposure !== undefined) throw new ConfigError('token', exposure);
    const app = await buildHttpApp(service);
    const address = await app.listen({ host: parsed.listen.host, port: parsed.listen.port });
    let closing: Promise<void> | undefined;
    return {
      url: address,
      service,
      close: () => {
        closing ??= (async () => {
          await app.close();
          await service.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await service.close();
    throw error;
  }
}
