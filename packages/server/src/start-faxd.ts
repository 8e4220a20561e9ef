// Starts the whole server from a configuration: the fax service, its HTTP API on the configured address, and the mail
// gateway when one is configured.

import { unauthenticatedExposure } from './api/authentication.js';
import { buildHttpApp } from './api/http-app.js';
import { SignInThrottle } from './api/sign-in-throttle.js';
import type { FaxdConfig } from './config/faxd-config.js';
import { ConfigError, parseFaxdConfig, type TlsConfig } from './config/faxd-config.js';
import { CallLog } from './logging/call-log.js';
import { createFaxdLogger } from './logging/faxd-logger.js';
import type { RunningMailGateway } from './mail/mail-gateway.js';
import type { Clock } from './service/clock.js';
import { FaxService } from './service/fax-service.js';
import { type SecureContextHolder, TlsCredentials } from './tls/tls-credentials.js';

export interface RunningFaxd {
  /** The API's base URL, e.g. http://127.0.0.1:8080 (the real port when the config asked for port 0). */
  readonly url: string;
  readonly service: FaxService;
  /** The SMTP gateway's listener (the real port when the config asked for port 0), if one is configured. */
  readonly mailGateway: RunningMailGateway | null;
  /**
   * Reads the `tls` certificate and key again and serves them on new connections (SIGHUP); open ones keep theirs.
   * Without `tls`, nothing to do. A pair that does not load throws, and the previous one stays in use.
   */
  reloadCertificates(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `config` is the JSON configuration (DESIGN.md §3), checked here; throws ConfigError on a bad one. `clock` times the
 * queue (the computer's clock unless a test brings its own).
 */
export async function startFaxd(config: unknown, clock?: Clock): Promise<RunningFaxd> {
  const parsed: FaxdConfig = parseFaxdConfig(config);
  const tls = parsed.tls ? await loadCertificates(parsed.tls) : undefined;
  const service = await FaxService.start(parsed, clock, tls);
  // One root logger for the whole faxd: the HTTP API's requests and each call log through children of it.
  const logger = createFaxdLogger(parsed.log);
  const calls = CallLog.follow(service.hub, logger);
  let gateway: RunningMailGateway | null = null;
  try {
    const exposure = await unauthenticatedExposure(service);
    if (exposure !== undefined) throw new ConfigError('token', exposure);
    // One count of failed sign-ins for the console and SMTP AUTH: the same passwords answer both.
    const signIns = new SignInThrottle();
    if (parsed.mailGateway) {
      // SMTP and MIME parsing load only where a gateway is configured: a third of a second of every other start.
      const { startMailGateway } = await import('./mail/mail-gateway.js');
      gateway = await startMailGateway(parsed.mailGateway, service, tls, signIns);
    }
    const app = await buildHttpApp(service, tls?.current, signIns, logger);
    const address = await app.listen({ host: parsed.listen.host, port: parsed.listen.port });
    tls?.serve(app.server as unknown as SecureContextHolder);
    let closing: Promise<void> | undefined;
    return {
      url: address,
      service,
      mailGateway: gateway,
      reloadCertificates: async () => tls?.reload(),
      close: () => {
        closing ??= (async () => {
          await gateway?.close();
          await app.close();
          await service.close();
          calls.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await gateway?.close();
    await service.close();
    calls.close();
    throw error;
  }
}

/** The configured pair, or a ConfigError naming the `tls` key when it cannot be read or does not match. */
async function loadCertificates(files: TlsConfig): Promise<TlsCredentials> {
  try {
    return await TlsCredentials.load(files);
  } catch (error) {
    throw new ConfigError('tls', `cannot use ${files.cert} with ${files.key}: ${(error as Error).message}`);
  }
}
