// The discount-rate window (FAX_SCHEDULE_TYPE_ENUM fstDISCOUNT_PERIOD): a daily span of local clock time, which may
// run past midnight, when calls are cheaper.

export interface DiscountWindow {
  readonly discountStart: string;
  readonly discountEnd: string;
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours as number) * 60 + (minutes as number);
}

/** `now` if it falls inside the window, otherwise the window's next start (local time). */
export function nextDiscountStart(now: Date, window: DiscountWindow): Date {
  const start = minutesOf(window.discountStart);
  const end = minutesOf(window.discountEnd);
  const current = now.getHours() * 60 + now.getMinutes();
  const inside = start <= end ? current >= start && current < end : current >= start || current < end;
  if (inside) return now;
  const next = new Date(now);
  next.setHours(Math.floor(start / 60), start % 60, 0, 0);
  if (next <= now) next.setDate(next.getDate() + 1);
  return next;
}
