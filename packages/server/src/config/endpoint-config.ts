// HOST:PORT endpoints in the faxd configuration: listeners (HTTP, the mail gateway, SIP) and T.38 peers.

import { ConfigError, type ConfigReader } from './config-reader.js';

export function checkedEndpoint(reader: ConfigReader, key: string): string {
  const text = reader.string(key, undefined);
  parseListen(text, reader.pathOf(key));
  return text;
}

export function parseListen(text: string, key: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new ConfigError(key, `"${text}" is not HOST:PORT`);
  return { host: match[1] ?? (match[2] as string), port };
}
