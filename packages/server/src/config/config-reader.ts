// A reader over one JSON object of the configuration that checks each key's type as it is read and, when finished,
// refuses every key nobody read, so a misspelt key is an error rather than a silently ignored setting.

/** A configuration the server cannot start with: `key` is the JSON path of the offending value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly key: string;
  readonly reason: string;

  constructor(key: string, reason: string) {
    super(`invalid configuration at ${key || 'the top level'}: ${reason}`);
    this.key = key;
    this.reason = reason;
  }
}

type Json = Readonly<Record<string, unknown>>;

export class ConfigReader {
  readonly #value: Json;
  readonly #path: string;
  readonly #read = new Set<string>();

  constructor(value: unknown, path: string) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigError(path, 'expected a JSON object');
    }
    this.#value = value as Json;
    this.#path = path;
  }

  pathOf(key: string): string {
    return this.#path ? `${this.#path}.${key}` : key;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.#value, key);
  }

  fail(key: string, reason: string): never {
    throw new ConfigError(this.pathOf(key), reason);
  }

  #take(key: string): unknown {
    this.#read.add(key);
    return this.#value[key];
  }

  #required<T>(key: string, fallback: T | undefined): T | undefined {
    if (this.has(key)) return undefined;
    this.#read.add(key);
    if (fallback === undefined) this.fail(key, 'is required');
    return fallback;
  }

  string(key: string, fallback: string | undefined): string {
    const missing = this.#required(key, fallback);
    if (missing !== undefined) return missing;
    const value = this.#take(key);
    if (typeof value !== 'string') this.fail(key, `expected a string, got ${JSON.stringify(value)}`);
    return value;
  }

  optionalString(key: string): string | null {
    return this.has(key) ? this.string(key, undefined) : null;
  }

  integer(key: string, fallback: number | undefined, min: number, max: number): number {
    const missing = this.#required(key, fallback);
    if (missing !== undefined) return missing;
    const value = this.#take(key);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(key, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const value = this.#take(key);
    if (typeof value !== 'boolean') this.fail(key, `expected true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  choice<const T extends string>(key: string, choices: readonly T[]): T {
    const value = this.string(key, undefined);
    if (!(choices as readonly string[]).includes(value)) {
      this.fail(key, `expected one of ${choices.join(', ')}, got "${value}"`);
    }
    return value as T;
  }

  clockTime(key: string, fallback: string): string {
    const value = this.string(key, fallback);
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) this.fail(key, `expected a time of day HH:MM, got "${value}"`);
    return value;
  }

  url(key: string): string {
    const value = this.string(key, undefined);
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      this.fail(key, `expected an http or https URL, got "${value}"`);
    }
    return value;
  }

  /** The object at `key`; an absent key reads as an empty object. */
  object(key: string): ConfigReader {
    return new ConfigReader(this.has(key) ? this.#take(key) : {}, this.pathOf(key));
  }

  array(key: string, fallback: readonly unknown[]): ConfigReader[] {
    const value = this.has(key) ? this.#take(key) : fallback;
    this.#read.add(key);
    if (!Array.isArray(value)) this.fail(key, 'expected an array');
    return value.map((item, index) => new ConfigReader(item, `${this.pathOf(key)}[${index}]`));
  }

  /** An array of strings, each matching `pattern` (`what` describes one in the message). */
  strings(key: string, pattern: RegExp, what: string): string[] {
    const value = this.has(key) ? this.#take(key) : [];
    this.#read.add(key);
    if (!Array.isArray(value)) this.fail(key, 'expected an array');
    return value.map((item: unknown, index) => {
      if (typeof item !== 'string' || !pattern.test(item)) {
        this.fail(`${key}[${index}]`, `expected ${what}, got ${JSON.stringify(item)}`);
      }
      return item;
    });
  }

  /** Refuses any key that was not read. */
  finish(): void {
    for (const key of Object.keys(this.#value)) {
      if (!this.#read.has(key)) this.fail(key, 'is not a known setting');
    }
  }
}
