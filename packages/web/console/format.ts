// How the console writes times, durations, sizes and a line's call for a person.

import type { FaxPortCall } from '@faxd/client';

/** `m:ss` (or `h:mm:ss`) of whole seconds. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A local date and time without seconds, e.g. "6 Dec 2026, 17:50". */
export function formatTime(time: Date | null): string {
  if (time === null) return '—';
  return time.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A value the API leaves null or empty outside its state, as a dash. */
export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

const MEDIA_NAMES: Readonly<Record<FaxPortCall['media'], string>> = { t38: 'T.38', pcmu: 'PCMU', pcma: 'PCMA' };

/** A port's call as one line, e.g. "PCMU · V.17 14400 · ECM"; before the DCS only its media is known. */
export function formatCall(call: FaxPortCall): string {
  const parts = [MEDIA_NAMES[call.media]];
  if (call.modem !== null) parts.push(call.bitRate === null ? call.modem : `${call.modem} ${call.bitRate}`);
  if (call.ecm !== null) parts.push(call.ecm ? 'ECM' : 'no ECM');
  return parts.join(' · ');
}
