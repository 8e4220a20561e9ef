// The Send page: documents dropped or picked, the number and the rest of a submission, then a preview of the fax
// pages as faxd renders them (POST /v1/previews) before the person confirms. A refusal or faxd going away is said in
// words and keeps everything entered, so nothing has to be typed or picked again.

import type { FaxPreview, FaxPreviewPage } from '@faxd/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  CoverPageFields,
  type CoverPageForm,
  type CoverPageProblem,
  coverFieldId,
  coverPageProblem,
  coverPageRequest,
  NO_COVER_PAGE,
} from './cover-page-fields.js';
import { formatSize } from './format.js';
import type { LiveServer, LiveSnapshot } from './live-server.js';
import { errorText } from './session.js';
import { TextField } from './text-field.js';

/** What faxd converts (DESIGN.md §3: PDF, TIFF, PNG, JPEG, plain text), by file name as the server judges it. */
const ACCEPTED = /\.(pdf|tiff?|png|jpe?g|txt|text)$/i;
const ACCEPT_ATTRIBUTE =
  '.pdf,.tif,.tiff,.png,.jpg,.jpeg,.txt,application/pdf,image/tiff,image/png,image/jpeg,text/plain';
/** Documents travel base64 in one JSON request, which faxd caps at 96 MB: 64 MiB of files leave room for that. */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

interface PickedFile {
  readonly name: string;
  readonly content: Uint8Array;
}

type Schedule = 'now' | 'at' | 'discount';

/** The page drawn at its true proportions: fax pixels are 1/204 in across and 1/98, 1/196 or 1/391 in down. */
function PreviewPage(props: { page: FaxPreviewPage; index: number; count: number; cover: boolean }) {
  const { page } = props;
  const what = props.cover ? ' (the cover page)' : '';
  const ratio = `${page.width / page.xResolution} / ${page.height / page.yResolution}`;
  return (
    <figure class="preview-page">
      <img
        src={`data:image/png;base64,${page.pngBase64}`}
        alt={`Page ${props.index + 1} of ${props.count}${what} as it will be faxed`}
        style={{ aspectRatio: ratio }}
      />
      <figcaption>
        Page {props.index + 1} of {props.count}
        {what}
      </figcaption>
    </figure>
  );
}

export function SendView(props: { live: LiveSnapshot; server: LiveServer }) {
  const [files, setFiles] = useState<readonly PickedFile[]>([]);
  const [number, setNumber] = useState('');
  const [recipient, setRecipient] = useState('');
  const [sender, setSender] = useState('');
  const [priority, setPriority] = useState<'low' | 'normal' | 'high'>('normal');
  const [schedule, setSchedule] = useState<Schedule>('now');
  const [at, setAt] = useState('');
  const [line, setLine] = useState('');
  const [cover, setCover] = useState<CoverPageForm>(NO_COVER_PAGE);
  const [coverProblem, setCoverProblem] = useState<CoverPageProblem | undefined>();
  const [preview, setPreview] = useState<FaxPreview | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState<'reading' | 'previewing' | 'sending' | undefined>();
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The preview's header line names the number, recipient, sender and line, and its cover page shows them with the
  // cover's own fields: a change to any of them asks for a new preview.
  useEffect(() => setPreview(undefined), [number, recipient, sender, line, cover]);

  /** Says why faxd refused: next to a cover page field when the refusal is about one, else under the form. */
  const refused = (error: unknown, prefix: string, suffix = '') => {
    const field = coverPageProblem(error);
    setCoverProblem(field);
    if (field === undefined) {
      setProblem(`${prefix}${errorText(error)}${suffix}`);
      return;
    }
    setProblem(undefined);
    document.getElementById(coverFieldId(field.field))?.focus();
  };
  const changeCover = (form: CoverPageForm) => {
    setCover(form);
    setCoverProblem(undefined);
  };

  const addFiles = async (list: FileList | null) => {
    if (list === null || list.length === 0) return;
    setDone(undefined);
    const chosen = [...list];
    const unsupported = chosen.filter((file) => !ACCEPTED.test(file.name));
    if (unsupported.length > 0) {
      setProblem(
        `${unsupported.map((file) => file.name).join(', ')}: faxd sends PDF, TIFF, PNG, JPEG and text files only.`,
      );
      return;
    }
    const total = files.reduce((sum, file) => sum + file.content.length, 0) + chosen.reduce((s, f) => s + f.size, 0);
    if (total > MAX_TOTAL_BYTES) {
      setProblem(
        `The documents come to ${formatSize(total)}; one fax can take at most ${formatSize(MAX_TOTAL_BYTES)}. Send fewer or smaller files.`,
      );
      return;
    }
    setBusy('reading');
    try {
      const read: PickedFile[] = [];
      for (const file of chosen) {
        try {
          read.push({ name: file.name, content: new Uint8Array(await file.arrayBuffer()) });
        } catch {
          setProblem(`${file.name} could not be read from this computer. Check that it still exists and is readable.`);
          return;
        }
      }
      setFiles([...files, ...read]);
      setPreview(undefined);
      setProblem(undefined);
    } finally {
      setBusy(undefined);
      if (input.current) input.current.value = '';
    }
  };

  const removeFile = (index: number) => {
    setFiles(files.filter((_, i) => i !== index));
    setPreview(undefined);
  };

  /** A reason the form cannot go yet, or undefined. */
  const missing = (): string | undefined => {
    if (files.length === 0) return 'Add at least one document to fax.';
    if (number.trim() === '') return 'Enter the fax number to send to.';
    if (schedule === 'at' && (at === '' || Number.isNaN(new Date(at).getTime()))) return 'Choose when to send.';
    return undefined;
  };

  const showPreview = async (event: Event) => {
    event.preventDefault();
    setDone(undefined);
    const reason = missing();
    if (reason !== undefined) {
      setProblem(reason);
      return;
    }
    setBusy('previewing');
    try {
      const header = {
        to: number.trim(),
        recipientName: recipient.trim() || undefined,
        senderName: sender.trim() || undefined,
        line: line === '' ? undefined : Number(line),
        ...coverPageRequest(cover),
      };
      setPreview(await props.server.server.preview(files, header));
      setProblem(undefined);
      setCoverProblem(undefined);
    } catch (error) {
      refused(error, 'No preview: ');
    } finally {
      setBusy(undefined);
    }
  };

  const send = async () => {
    const reason = missing();
    if (reason !== undefined) {
      setProblem(reason);
      return;
    }
    setBusy('sending');
    try {
      const job = await props.server.server.submit({
        to: number.trim(),
        documents: files,
        recipientName: recipient.trim() || undefined,
        senderName: sender.trim() || undefined,
        priority,
        scheduledAt: schedule === 'now' ? undefined : schedule === 'discount' ? 'discount' : new Date(at),
        line: line === '' ? undefined : Number(line),
        ...coverPageRequest(cover),
      });
      setDone(job.jobId);
      setProblem(undefined);
      setFiles([]);
      setPreview(undefined);
      void props.server.refresh();
    } catch (error) {
      refused(error, 'Not sent: ', ' Everything you entered is still here; try again.');
    } finally {
      setBusy(undefined);
    }
  };

  const senders = props.live.ports.filter((port) => port.send);
  const pages = preview?.pages ?? [];
  return (
    <form class="send" onSubmit={showPreview} noValidate>
      <section
        class={`drop${dragging ? ' drop-active' : ''}`}
        aria-label="Documents"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void addFiles(event.dataTransfer?.files ?? null);
        }}
      >
        <p>Drop PDF, TIFF, PNG, JPEG or text files here, or</p>
        <label class="button-like" for="send-files">
          Choose files…
        </label>
        <input
          id="send-files"
          ref={input}
          class="visually-hidden"
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          onChange={(event) => void addFiles((event.target as HTMLInputElement).files)}
        />
        {files.length > 0 && (
          <ul class="files">
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`}>
                <span>{file.name}</span> <span class="sub">{formatSize(file.content.length)}</span>
                <button
                  type="button"
                  class="quiet"
                  onClick={() => removeFile(index)}
                  aria-label={`Remove ${file.name}`}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <div class="form-grid">
        <TextField id="send-number" label="Fax number" type="tel" value={number} onChange={setNumber} />
        <TextField id="send-recipient" label="Recipient" value={recipient} onChange={setRecipient} />
        <TextField id="send-sender" label="Sender" value={sender} onChange={setSender} />
        <label for="send-priority">Priority</label>
        <select
          id="send-priority"
          value={priority}
          onChange={(event) => setPriority((event.target as HTMLSelectElement).value as typeof priority)}
        >
          <option value="low">Low</option>
          <option value="normal">Normal</option>
          <option value="high">High</option>
        </select>
        <label for="send-line">Line</label>
        <select id="send-line" value={line} onChange={(event) => setLine((event.target as HTMLSelectElement).value)}>
          <option value="">Any line that sends</option>
          {senders.map((port) => (
            <option key={port.deviceId} value={String(port.deviceId)}>
              {port.name}
            </option>
          ))}
        </select>
      </div>
      <CoverPageFields form={cover} onChange={changeCover} problem={coverProblem} />
      <fieldset class="filters">
        <legend>When</legend>
        {(
          [
            ['now', 'Now'],
            ['at', 'At a time'],
            ['discount', 'In the discount-rate window'],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name="send-when"
              value={value}
              checked={schedule === value}
              onChange={() => setSchedule(value)}
            />
            {label}
          </label>
        ))}
        {schedule === 'at' && (
          <input
            type="datetime-local"
            aria-label="Send at"
            value={at}
            onInput={(event) => setAt((event.target as HTMLInputElement).value)}
          />
        )}
      </fieldset>

      {problem !== undefined && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {done !== undefined && (
        <p class="done" role="status">
          Fax queued as job {done}. Follow it on the <a href="#/queue">Queue</a> page.
        </p>
      )}

      <div class="send-actions">
        <button type="submit" class={preview === undefined ? '' : 'quiet'} disabled={busy !== undefined}>
          {busy === 'previewing' ? 'Rendering preview…' : 'Preview'}
        </button>
        {preview !== undefined && (
          <button type="button" disabled={busy !== undefined} onClick={() => void send()}>
            {busy === 'sending' ? 'Sending…' : `Send ${pages.length} ${pages.length === 1 ? 'page' : 'pages'}`}
          </button>
        )}
      </div>

      {preview !== undefined && (
        <section aria-label="Preview" class="preview">
          <h2>
            Preview: {pages.length} {pages.length === 1 ? 'page' : 'pages'} as faxd will send them
            {cover.enabled && ', the cover page first'}
          </h2>
          <div class="preview-pages">
            {pages.map((page, index) => (
              <PreviewPage
                key={page.pngBase64.length + index}
                page={page}
                index={index}
                count={pages.length}
                cover={cover.enabled && index === 0}
              />
            ))}
          </div>
        </section>
      )}
    </form>
  );
}
