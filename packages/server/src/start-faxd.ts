// Starts the whole server from a configuration: the fax service, its HTTP API on the configured address, and the mail
// gateway when one is configured.

import { buildHttpApp } from './api/http-app.js';
import type { FaxdConfig } from './config/faxd-config.js';
import { parseFaxdConfig } from './config/faxd-config.js';
import { type RunningMailGateway, startMailGateway } from './mail/mail-gateway.js';
import type { Clock } from './service/clock.js';
import { FaxService } from './service/fax-service.js';

export interface RunningFaxd {
  /** The API's base URL, e.g. http://127.0.0.1:8080 (the real port when the config asked for port 0). */
  readonly url: string;
  readonly service: FaxService;
  /** The SMTP gateway's listener (the real port when the config asked for port 0), if one is configured. */
  readonly mailGateway: RunningMailGateway | null;
  close(): Promise<void>;
}

/**
 * `config` is the JSON configuration (DESIGN.md §3), checked here; throws ConfigError on a bad one. `clock` times the
 * queue (the computer's clock unless a test brings its own).
 */
export async function startFaxd(config: unknown, clock?: Clock): Promise<RunningFaxd> {
  const parsed: FaxdConfig = parseFaxdConfig(config);
  const service = await FaxService.start(parsed, clock);
  let gateway: RunningMailGateway | null = null;
  try {
    gateway = parsed.mailGateway && (await startMailGateway(parsed.mailGateway, service));
    const app = await buildHttpApp(service);
    const address = await app.listen({ host: parsed.listen.host, port: parsed.listen.port });
    let closing: Promise<void> | undefined;
    return {
      url: address,
      service,
      mailGateway: gateway,
      close: () => {
        closing ??= (async () => {
          await gateway?.close();
          await app.close();
          await service.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await gateway?.close();
    await service.close();
    throw error;
  }
}
