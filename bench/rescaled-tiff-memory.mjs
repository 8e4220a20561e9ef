// Benchmark: the memory and time of one TIFF page that is not in fax geometry (a 300 dpi scan) resampled onto a fax
// page, each size in a fresh process; peak RSS is the process's maximum resident set, measured after the TIFF is built.
// Usage: node bench/rescaled-tiff-memory.mjs [WIDTHxHEIGHT ...]   (default: 2480x3508, an A4 scan, and 7000x7000)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPage, writeTiffClassF } from '@faxd/protocol';
import { loadDocumentPages } from '../packages/server/dist/documents/load-pages.js';

const [first, ...rest] = process.argv.slice(2);
if (first === '--one') {
  const [width, height] = rest.map(Number);
  const page = createPage({ width, height, xResolution: 300, yResolution: 300 });
  // Marks like text: short black runs on every third row.
  for (let y = 0; y < height; y += 3) for (let b = 0; b < page.stride; b += 5) page.data[y * page.stride + b] = 0x3c;
  const tiff = writeTiffClassF([page], { compression: 'mmr' });
  page.data = new Uint8Array(0);
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const [fax] = await loadDocumentPages(tiff, { paper: 'a4' });
  const ms = Math.round(performance.now() - started);
  const peak = process.resourceUsage().maxRSS * 1024;
  const mb = (bytes) => Math.round(bytes / 2 ** 20);
  console.log(
    `${width}x${height} -> ${fax.width}x${fax.height}: ${ms} ms, RSS ${mb(before)} MB before, peak ${mb(peak)} MB`,
  );
} else {
  const sizes = first ? [first, ...rest] : ['2480x3508', '7000x7000'];
  for (const size of sizes) {
    const args = ['--expose-gc', fileURLToPath(import.meta.url), '--one', ...size.split('x')];
    process.stdout.write(execFileSync(process.execPath, args));
  }
}
