// The page viewer for an archived fax: each page as the image faxd serves (at the fax's own resolution, drawn at its
// true proportions), zoom, previous and next page, and the whole fax to download as PDF or TIFF.

import type { FaxFileFormat, FaxServer } from '@faxd/client';
import { useEffect, useState } from 'preact/hooks';
import { pngPixelsPerMetre } from './png-resolution.js';
import { ScrollRegion } from './scroll-region.js';
import { errorText } from './session.js';

export type ArchiveKind = 'inbox' | 'outbox';

interface LoadedPage {
  /** The page the image is of: the alt text names it, not the page asked for next, until that one's image is in. */
  readonly page: number;
  readonly url: string;
  /** CSS aspect-ratio of the page on paper. */
  readonly ratio: string;
}

const ZOOMS = [0.5, 0.75, 1, 1.5, 2] as const;
/** The page's width at 100 %: 864 CSS pixels is an 8.5-inch-wide fax page at about a screen's 100 pixels an inch. */
const PAGE_WIDTH_PX = 864;

function downloadPage(server: FaxServer, kind: ArchiveKind, id: string, page: number): Promise<Uint8Array> {
  return kind === 'inbox' ? server.downloadInboxPage(id, page) : server.downloadOutboxPage(id, page);
}

function downloadFax(server: FaxServer, kind: ArchiveKind, id: string, format: FaxFileFormat): Promise<Uint8Array> {
  return kind === 'inbox' ? server.downloadInboxMessage(id, format) : server.downloadOutboxMessage(id, format);
}

/** Hands `bytes` to the browser as a file download named `name`. */
function saveFile(bytes: Uint8Array, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PageViewer(props: { server: FaxServer; kind: ArchiveKind; id: string; pages: number }) {
  const { server, kind, id, pages } = props;
  const [page, setPage] = useState(1);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [loaded, setLoaded] = useState<LoadedPage | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let current: string | undefined;
    let gone = false;
    setError(undefined);
    downloadPage(server, kind, id, page).then(
      (png) => {
        if (gone) return;
        const perMetre = pngPixelsPerMetre(png);
        const view = new DataView(png.buffer, png.byteOffset);
        const [width, height] = [view.getUint32(16), view.getUint32(20)];
        const ratio =
          perMetre === undefined ? `${width} / ${height}` : `${width / perMetre.x} / ${height / perMetre.y}`;
        current = URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
        setLoaded({ page, url: current, ratio });
      },
      (reason: unknown) => {
        if (!gone) setError(`Page ${page} could not be loaded: ${errorText(reason)}`);
      },
    );
    return () => {
      gone = true;
      if (current !== undefined) URL.revokeObjectURL(current);
    };
  }, [server, kind, id, page]);

  const save = (format: FaxFileFormat) => {
    downloadFax(server, kind, id, format).then(
      (bytes) =>
        saveFile(
          bytes,
          `fax-${id}.${format === 'pdf' ? 'pdf' : 'tif'}`,
          format === 'pdf' ? 'application/pdf' : 'image/tiff',
        ),
      (reason: unknown) => setError(`The ${format.toUpperCase()} could not be downloaded: ${errorText(reason)}`),
    );
  };

  const zoomIndex = zoom === 'fit' ? -1 : ZOOMS.indexOf(zoom as (typeof ZOOMS)[number]);
  const style = zoom === 'fit' ? { width: '100%' } : { width: `${zoom * PAGE_WIDTH_PX}px` };
  return (
    <section class="viewer" aria-label="Page viewer">
      <div class="viewer-bar">
        <button type="button" class="quiet" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          Previous page
        </button>
        <span class="viewer-page" aria-live="polite">
          Page {page} of {pages}
        </span>
        <button type="button" class="quiet" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          Next page
        </button>
        <span class="viewer-gap" />
        <button
          type="button"
          class="quiet"
          aria-label="Zoom out"
          disabled={zoomIndex === 0}
          onClick={() => setZoom(ZOOMS[Math.max(0, zoomIndex === -1 ? 1 : zoomIndex - 1)]!)}
        >
          −
        </button>
        <button type="button" class="quiet" aria-pressed={zoom === 'fit'} onClick={() => setZoom('fit')}>
          Fit width
        </button>
        <button
          type="button"
          class="quiet"
          aria-label="Zoom in"
          disabled={zoomIndex === ZOOMS.length - 1}
          onClick={() => setZoom(ZOOMS[Math.min(ZOOMS.length - 1, zoomIndex === -1 ? 3 : zoomIndex + 1)]!)}
        >
          +
        </button>
        <button type="button" class="quiet" onClick={() => save('pdf')}>
          Download PDF
        </button>
        <button type="button" class="quiet" onClick={() => save('tiff')}>
          Download TIFF
        </button>
      </div>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ScrollRegion class="viewer-stage" label="Page image, scrollable">
        {loaded !== undefined && (
          <img
            class="fax-page"
            src={loaded.url}
            alt={`Page ${loaded.page} of ${pages} of the fax`}
            style={{ ...style, aspectRatio: loaded.ratio }}
          />
        )}
      </ScrollRegion>
    </section>
  );
}
