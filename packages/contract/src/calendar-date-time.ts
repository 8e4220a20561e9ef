// Calendar date-times (ISO 8601 / RFC 3339 as `scheduledAt` and `fax send --at` take them): the server's request
// schema and the CLI refuse the same texts, so a date that does not exist never becomes another one.

/** YYYY-MM-DDTHH:MM, optional :SS and fraction, optional Z or ±HH:MM (without one, the server's local time). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Whether `text` is a date and time that exists: the pattern alone lets 2024-02-30 through, and Date.parse rolls it
 * over to March 1st, so the day is checked against its month and year.
 */
export function isCalendarDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}
