// Test support: a strict reader of the Prometheus text exposition format, version 0.0.4 (what GET /metrics serves):
// every line but empty ones is a comment (HELP and TYPE read) or a sample of the family declared before it, names
// and label sets follow the format's grammar, values are floats as Go reads them, and a histogram's buckets are
// cumulative and end with le="+Inf" equal to its _count. Anything else throws, naming the line, so a test that reads
// an exposition also checks it.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
/** The sample names a family of each type may have besides its own name. */
const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export class ExpositionError extends Error {
  override readonly name = 'ExpositionError';
}

/** The families of `text`, by name; throws ExpositionError at the first line that breaks the format. */
export function parseExposition(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  let current: MetricFamily | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new ExpositionError('the exposition does not end with a line feed');
  lines.forEach((line, index) => {
    const fail = (why: string) => new ExpositionError(`line ${index + 1} (${JSON.stringify(line)}): ${why}`);
    // The format ignores empty lines (prom-client puts one between families).
    if (line === '') return;
    if (line.startsWith('#')) {
      const [, keyword, name = '', ...rest] = line.split(' ');
      if (keyword !== 'HELP' && keyword !== 'TYPE') return;
      if (!METRIC_NAME.test(name)) throw fail('bad metric name');
      const family = families.get(name) ?? { name, type: 'untyped' as MetricType, help: '', samples: [] };
      if (family.samples.length > 0) throw fail(`${keyword} after the family's samples`);
      if (keyword === 'TYPE') {
        const type = rest.join(' ') as MetricType;
        if (!TYPES.includes(type)) throw fail(`unknown type ${type}`);
        Object.assign(family, { type });
      } else {
        Object.assign(family, { help: rest.join(' ') });
      }
      families.set(name, family);
      current = family;
      return;
    }
    const sample = parseSample(line, fail);
    const suffix = current && sample.name.startsWith(current.name) ? sample.name.slice(current.name.length) : undefined;
    if (!current || suffix === undefined || !SUFFIXES[current.type].includes(suffix)) {
      throw fail(`sample ${sample.name} outside its family's block`);
    }
    current.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function parseSample(line: string, fail: (why: string) => Error): Sample {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)( -?\d+)?$/.exec(line);
  if (!match) throw fail('not a sample');
  const [, name = '', labelText, valueText = ''] = match;
  return {
    name,
    labels: labelText ? parseLabels(labelText.slice(1, -1), fail) : {},
    value: parseValue(valueText, fail),
  };
}

/** `a="x",b="y\"z"` (a trailing comma allowed); values escape only backslash, double quote and line feed. */
function parseLabels(text: string, fail: (why: string) => Error): Record<string, string> {
  const labels: Record<string, string> = {};
  let at = 0;
  while (at < text.length) {
    const equals = text.indexOf('=', at);
    const name = text.slice(at, equals);
    if (equals < 0 || !LABEL_NAME.test(name)) throw fail(`bad label name at ${at}`);
    if (name in labels) throw fail(`label ${name} twice`);
    if (text[equals + 1] !== '"') throw fail(`label ${name} is not quoted`);
    let value = '';
    let i = equals + 2;
    for (; i < text.length && text[i] !== '"'; i++) {
      if (text[i] !== '\\') {
        value += text[i];
        continue;
      }
      const escaped = { '\\': '\\', '"': '"', n: '\n' }[text[++i] ?? ''];
      if (escaped === undefined) throw fail(`bad escape in label ${name}`);
      value += escaped;
    }
    if (i >= text.length) throw fail(`label ${name} is not closed`);
    labels[name] = value;
    at = i + 1;
    if (at < text.length && text[at++] !== ',') throw fail(`no comma after label ${name}`);
  }
  return labels;
}

/** A float as Go's strconv.ParseFloat reads it, which Prometheus uses: NaN and Inf in any case (prom-client: "Nan"). */
function parseValue(text: string, fail: (why: string) => Error): number {
  const special = /^([-+]?)(inf|infinity|nan)$/i.exec(text);
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw fail(`bad value ${text}`);
  return Number(text);
}

/** Per label set: buckets non-decreasing by `le`, ending at +Inf with the _count's value. */
function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name.endsWith('_bucket')) {
      if (le === undefined) throw new ExpositionError(`${family.name}: a bucket without le`);
      entry.buckets.push([le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), sample.value]);
    } else if (sample.name.endsWith('_count')) {
      entry.count = sample.value;
    }
  }
  for (const [key, { buckets, count }] of series) {
    const last = buckets.at(-1);
    if (last?.[0] !== Number.POSITIVE_INFINITY || last[1] !== count) {
      throw new ExpositionError(`${family.name} ${key}: no le="+Inf" bucket equal to _count`);
    }
    buckets.reduce((previous, bucket) => {
      if (bucket[0] <= previous[0] || bucket[1] < previous[1]) {
        throw new ExpositionError(`${family.name} ${key}: buckets not cumulative`);
      }
      return bucket;
    });
  }
}

/** The value of the sample `name` whose labels include `labels`; throws unless exactly one matches. */
export function sampleValue(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const matching = [...families.values()]
    .flatMap((family) => family.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matching.length !== 1) {
    throw new Error(`${matching.length} samples of ${name} with ${JSON.stringify(labels)}, not one`);
  }
  return (matching[0] as Sample).value;
}

/** The sum of the samples `name` whose labels include `labels` (0 when none does: a counter not yet incremented). */
export function sumOf(
  families: Map<string, MetricFamily>,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  return [...families.values()]
    .flatMap((family) => family.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
