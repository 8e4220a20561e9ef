// A small field-rule checker for the API's flat JSON objects (DESIGN §3: camelCase names, COM numbers, UTC ISO times).

/**
 * What a JSON field may hold: `string`; `count`, a non-negative integer; `integer`; `boolean`; `time`, an ISO 8601
 * UTC instant ending in `Z` (what `Date.prototype.toISOString` produces, fraction optional); `object`, any non-null
 * object (checked further by its owner).
 */
export type FieldKind = 'string' | 'count' | 'integer' | 'boolean' | 'time' | 'object';

export interface FieldRule {
  readonly kind: FieldKind;
  /** Whether `null` is accepted in place of a value. */
  readonly nullable: boolean;
}

export type FieldRules = Readonly<Record<string, FieldRule>>;

const ISO_UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Whether `value` is an ISO 8601 UTC time with a `Z` suffix that names a real instant. */
export function isIsoUtcTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_UTC_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** Whether `value` is an integer in the signed 32-bit range that COM `long` values have. */
export function isLong(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= -0x80000000 && (value as number) <= 0x7fffffff;
}

function fitsKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'count':
      return isLong(value) && value >= 0;
    case 'integer':
      return isLong(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'time':
      return isIsoUtcTime(value);
    case 'object':
      return typeof value === 'object' && value !== null;
  }
}

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Everything wrong with `value` against `rules`, as messages naming `what` and the field; empty when it conforms.
 * The object must have exactly the ruled fields: a missing or an extra field is a problem.
 */
export function shapeProblems(value: unknown, rules: FieldRules, what: string): string[] {
  if (!isJsonObject(value)) return [`${what} is not an object`];
  const problems: string[] = [];
  for (const [field, rule] of Object.entries(rules)) {
    if (!Object.hasOwn(value, field)) {
      problems.push(`${what}.${field} is missing`);
      continue;
    }
    const fieldValue = value[field];
    if (fieldValue === null ? !rule.nullable : !fitsKind(fieldValue, rule.kind)) {
      problems.push(`${what}.${field} is ${show(fieldValue)}, expected ${describeRule(rule)}`);
    }
  }
  for (const field of Object.keys(value)) {
    if (!Object.hasOwn(rules, field)) problems.push(`${what}.${field} is not a known field`);
  }
  return problems;
}

/** A short rendering of any value for a message; never throws (JSON.stringify does on a bigint or a cycle). */
function show(value: unknown): string {
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function describeRule(rule: FieldRule): string {
  const kind = rule.kind === 'time' ? 'an ISO 8601 UTC time' : `a ${rule.kind}`;
  return rule.nullable ? `${kind} or null` : kind;
}
