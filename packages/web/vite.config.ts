// Builds the console (console/index.html and what it imports) into dist/console, where faxd serves it from, with a
// Brotli and a gzip copy of each text file beside it so that faxd sends the compressed bytes without compressing.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const OUT_DIR = 'dist/console';

function precompress(): Plugin {
  return {
    name: 'faxd-precompress',
    apply: 'build',
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
          entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
        );
      for (const file of walk(OUT_DIR).filter((name) => /\.(js|css|html|svg)$/.test(name))) {
        const bytes = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
        const quality = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY };
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: quality }));
      }
    },
  };
}

export default defineConfig({
  root: 'console',
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: `../${OUT_DIR}`, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  plugins: [precompress()],
});
