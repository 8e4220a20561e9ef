// The Send page's cover page (issue 15; FaxDocument.CoverPage, Subject, Note and FaxSender): off by default; on, the
// template to fill in (blank: faxd's default), the subject and note, and the sender's company and numbers, which only
// a cover page shows. A value faxd refuses is answered next to its field rather than at the foot of the form.

import { FaxApiError, type SubmissionOptions } from '@faxd/client';
import { TextField } from './text-field.js';

export interface CoverPageForm {
  readonly enabled: boolean;
  readonly template: string;
  readonly subject: string;
  readonly note: string;
  readonly company: string;
  readonly faxNumber: string;
  readonly voiceNumber: string;
}

export const NO_COVER_PAGE: CoverPageForm = {
  enabled: false,
  template: '',
  subject: '',
  note: '',
  company: '',
  faxNumber: '',
  voiceNumber: '',
};

type CoverField = Exclude<keyof CoverPageForm, 'enabled'>;

/** A refusal of one of the cover page's fields, said next to it. */
export interface CoverPageProblem {
  readonly field: CoverField;
  readonly text: string;
}

/** The submission's (and the preview's) cover page fields; none while the cover page is off. */
export function coverPageRequest(
  form: CoverPageForm,
): Pick<SubmissionOptions, 'coverPage' | 'senderCompany' | 'senderFaxNumber' | 'senderVoiceNumber'> {
  if (!form.enabled) return {};
  const given = (value: string) => value.trim() || undefined;
  return {
    coverPage: { template: given(form.template), subject: given(form.subject), note: given(form.note) },
    senderCompany: given(form.company),
    senderFaxNumber: given(form.faxNumber),
    senderVoiceNumber: given(form.voiceNumber),
  };
}

/**
 * Which field faxd's refusal is about, by the field its details name: `coverPage.template` for an unknown template,
 * `body/coverPage/note` for a schema refusal, `coverPage` alone when the filled-in page does not fit (the note is
 * what a person can shorten).
 */
const FIELDS: Readonly<Record<string, CoverField>> = {
  'coverPage.template': 'template',
  'coverPage.subject': 'subject',
  'coverPage.note': 'note',
  coverPage: 'note',
  senderCompany: 'company',
  senderFaxNumber: 'faxNumber',
  senderVoiceNumber: 'voiceNumber',
};

/** The cover page field `error` refuses, if it is about one. */
export function coverPageProblem(error: unknown): CoverPageProblem | undefined {
  if (!(error instanceof FaxApiError)) return undefined;
  if (error.code === 'FAX_ERR_COVER_PAGE_NOT_FOUND') return { field: 'template', text: error.message };
  const named = error.details?.field;
  if (typeof named !== 'string') return undefined;
  const field = FIELDS[named.replace(/^body\//, '').replaceAll('/', '.')];
  return field === undefined ? undefined : { field, text: error.message };
}

/** The element id of `field`'s box, to focus it when faxd refuses its value. */
export function coverFieldId(field: CoverField): string {
  return `cover-${field}`;
}

export function CoverPageFields(props: {
  form: CoverPageForm;
  onChange: (form: CoverPageForm) => void;
  problem: CoverPageProblem | undefined;
}) {
  const { form, problem } = props;
  const field = (
    name: CoverField,
    label: string,
    extra: { type?: string; multiline?: boolean; placeholder?: string },
  ) => (
    <TextField
      id={coverFieldId(name)}
      label={label}
      {...extra}
      value={form[name]}
      onChange={(value) => props.onChange({ ...form, [name]: value })}
      problem={problem?.field === name ? problem.text : undefined}
    />
  );
  return (
    <fieldset class="cover-page">
      <legend>
        <label>
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(event) => props.onChange({ ...form, enabled: (event.target as HTMLInputElement).checked })}
          />
          Cover page
        </label>
      </legend>
      {form.enabled && (
        <div class="form-grid">
          {field('template', 'Template', { placeholder: 'default' })}
          {field('subject', 'Subject', {})}
          {field('note', 'Note', { multiline: true })}
          {field('company', 'Company', {})}
          {field('faxNumber', 'Sender fax', { type: 'tel' })}
          {field('voiceNumber', 'Sender phone', { type: 'tel' })}
        </div>
      )}
    </fieldset>
  );
}
