// How the API checks requests against their JSON Schemas (issue 17 item 5): no type coercion (a number is a number,
// a string a string; query strings and path parameters are validated as the strings they arrive as, by pattern),
// no unknown field dropped silently, times that are real calendar times, and a refusal whose message names the
// field and what it got.

import { isCalendarDateTime } from '@faxd/contract';
import type { FastifyError, FastifySchemaValidationError } from 'fastify';

/** `scheduledAt`'s format: an ISO 8601 (RFC 3339) date and time that is on the calendar, or `discount`. */
export const SCHEDULE_TIME_FORMAT = 'schedule-time';

/** What each of our own formats means, as the refusal's message says it. */
const FORMAT_WORDS: Readonly<Record<string, string>> = {
  [SCHEDULE_TIME_FORMAT]: 'an ISO 8601 date and time on the calendar (such as 2025-01-31T18:00:00Z) or "discount"',
};

/**
 * Options of Fastify's Ajv for every request part. Fastify's defaults coerce (`"1"` passes as 1, `null` as `""`) and
 * drop unknown properties without a word; here a body is taken exactly as sent. `verbose` keeps the refused value
 * in the error, so the message can show it.
 */
export const STRICT_AJV_OPTIONS = {
  coerceTypes: false,
  removeAdditional: false,
  verbose: true,
  formats: { [SCHEDULE_TIME_FORMAT]: (text: string) => text === 'discount' || isCalendarDateTime(text) },
} as const;

/** A querystring schema with no parameters: a route that takes none refuses any, as a body refuses unknown fields. */
export const NO_QUERY = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Keywords whose refusal is about the value itself, so the message shows it. */
const VALUE_KEYWORDS = new Set(['type', 'format', 'pattern', 'enum', 'const', 'minimum', 'maximum', 'maxLength']);
const SHOWN_VALUE_LENGTH = 60;

/**
 * The start of `value` as JSON, written only as far as it is shown: a refused body may be tens of megabytes, or arrays
 * nested thousands deep, which JSON.stringify would walk whole, and on which it overflows the stack (a 500 from the
 * error handler itself). Each level of nesting adds a character, so the walk stops within SHOWN_VALUE_LENGTH levels.
 */
function shown(value: unknown): string {
  let text = '';
  const full = () => text.length > SHOWN_VALUE_LENGTH;
  const write = (item: unknown): void => {
    if (full()) return;
    if (Array.isArray(item)) {
      text += '[';
      item.some((element, i) => {
        if (i > 0) text += ',';
        write(element);
        return full();
      });
      text += ']';
    } else if (item !== null && typeof item === 'object') {
      text += '{';
      Object.entries(item).some(([key, element], i) => {
        text += `${i > 0 ? ',' : ''}${JSON.stringify(key.slice(0, SHOWN_VALUE_LENGTH))}:`;
        write(element);
        return full();
      });
      text += '}';
    } else {
      text += JSON.stringify(typeof item === 'string' ? item.slice(0, SHOWN_VALUE_LENGTH + 1) : item) ?? String(item);
    }
  };
  write(value);
  return full() ? `${text.slice(0, SHOWN_VALUE_LENGTH)}…` : text;
}

/** Ajv's message in plainer words where it has a poor one: our formats by meaning, an enum with its values. */
function describeRule(keyword: string, params: Record<string, unknown>): string | undefined {
  if (keyword === 'format') {
    const words = FORMAT_WORDS[String(params.format)];
    return words === undefined ? undefined : `must be ${words}`;
  }
  if (keyword === 'enum') return `must be one of ${(params.allowedValues as unknown[]).map(shown).join(', ')}`;
  return undefined;
}

/**
 * The field a refusal is about (`body/documents/0/name`, `querystring/mask`, `params/deviceId`) and the reason in
 * words, from the first of Ajv's errors (Fastify stops at the first).
 */
export function validationProblem(error: FastifyError): { field: string; reason: string } {
  const [first] = error.validation as FastifySchemaValidationError[];
  const where = `${error.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
  if (!first) return { field: where, reason: error.message };
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'additionalProperties') {
    const field = `${where}/${String(params.additionalProperty)}`;
    return { field, reason: `${field} is not a known field` };
  }
  if (first.keyword === 'required') {
    return { field: `${where}/${String(params.missingProperty)}`, reason: `${where} ${first.message}` };
  }
  const what = describeRule(first.keyword, params) ?? first.message;
  const got = VALUE_KEYWORDS.has(first.keyword) ? `, got ${shown((first as { data?: unknown }).data)}` : '';
  return { field: where, reason: `${where} ${what}${got}` };
}
