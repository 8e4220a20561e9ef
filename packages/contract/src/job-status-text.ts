// Job states in words, for people: the CLI's human output and the web console both read them from here. Derived from
// the COM enumeration names (fjsRETRIES_EXCEEDED → "retries exceeded", fjesNO_ANSWER → "no answer").

import { flagNamesOf, nameOf } from './enum-names.js';
import { baseJobStatus, FAX_JOB_EXTENDED_STATUS_ENUM, FAX_JOB_STATUS_ENUM, JOB_STATUS_MODIFIERS } from './job-enums.js';

/** `fjesNO_ANSWER` → `no answer`. */
function words(name: string, prefix: string): string {
  return name.slice(prefix.length).toLowerCase().replaceAll('_', ' ');
}

/** The words for each FAX_JOB_STATUS_ENUM bit (the enum runs INPROGRESS together). */
const STATUS_WORDS: Readonly<Record<keyof typeof FAX_JOB_STATUS_ENUM, string>> = {
  fjsPENDING: 'pending',
  fjsINPROGRESS: 'in progress',
  fjsFAILED: 'failed',
  fjsPAUSED: 'paused',
  fjsNOLINE: 'no line',
  fjsRETRYING: 'retrying',
  fjsRETRIES_EXCEEDED: 'retries exceeded',
  fjsCOMPLETED: 'completed',
  fjsCANCELED: 'canceled',
  fjsCANCELING: 'canceling',
  fjsROUTING: 'routing',
};

/** A status word in words: the base state, then any modifiers (`pending, paused`). */
export function statusText(status: number): string {
  const base = nameOf(FAX_JOB_STATUS_ENUM, baseJobStatus(status));
  const parts = [base === undefined ? `status ${status}` : STATUS_WORDS[base]];
  for (const modifier of flagNamesOf(FAX_JOB_STATUS_ENUM, status & JOB_STATUS_MODIFIERS)) {
    parts.push(STATUS_WORDS[modifier]);
  }
  return parts.join(', ');
}

/** The line's detail in words (`dialing`, `no answer`); `''` for fjesNONE. A proprietary code shows its own text. */
export function extendedText(code: number, extendedStatus: string): string {
  if (extendedStatus !== '') return extendedStatus;
  if (code === FAX_JOB_EXTENDED_STATUS_ENUM.fjesNONE) return '';
  const name = nameOf(FAX_JOB_EXTENDED_STATUS_ENUM, code);
  return name === undefined ? `extended status ${code}` : words(name, 'fjes');
}
