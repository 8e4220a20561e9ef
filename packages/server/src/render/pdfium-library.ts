// PDFium (Chromium's PDF engine, BSD licence) as the @hyzyla/pdfium package (MIT) ships it compiled to WebAssembly,
// driven through its C API (fpdfview.h) so that pages render straight into a bitmap on the WebAssembly heap.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { type WasmMemory, type WasmModule, webAssembly } from './web-assembly.js';

/** The calls of fpdfview.h used here, as the emscripten module exports them (handles and pointers are numbers). */
export interface Pdfium {
  readonly HEAPU8: Uint8Array;
  readonly wasmExports: { memory: WasmMemory; malloc(size: number): number; free(pointer: number): void };
  _FPDF_InitLibrary(): void;
  _FPDF_LoadMemDocument(data: number, size: number, password: number): number;
  _FPDF_GetLastError(): number;
  _FPDF_CloseDocument(document: number): void;
  _FPDF_GetPageCount(document: number): number;
  _FPDF_LoadPage(document: number, index: number): number;
  _FPDF_ClosePage(page: number): void;
  _FPDF_GetPageWidth(page: number): number;
  _FPDF_GetPageHeight(page: number): number;
  _FPDFBitmap_CreateEx(width: number, height: number, format: number, buffer: number, stride: number): number;
  _FPDFBitmap_Destroy(bitmap: number): void;
  _FPDF_RenderPageBitmap(
    bitmap: number,
    page: number,
    left: number,
    top: number,
    width: number,
    height: number,
    rotate: number,
    flags: number,
  ): void;
}

/** PDFium's compiled WebAssembly.Module, which worker threads can be given to share its code. */
export type CompiledPdfium = WasmModule;

/**
 * The package's emscripten factory with the one option used here. Its own typings leave out FPDF_InitLibrary, and
 * type what instantiateWasm hands back as a module where emscripten expects the instance.
 */
type PdfiumFactory = (options: {
  instantiateWasm(imports: object, receive: (instance: object) => void): object;
}) => Promise<Pdfium>;

/** FPDF_GetLastError's codes (fpdfview.h FPDF_ERR_*), phrased for the user. */
export const PDFIUM_ERRORS: Readonly<Record<number, string>> = {
  1: 'unknown error',
  2: 'file not found or could not be opened',
  3: 'not in PDF format or corrupted',
  4: 'password required or incorrect password',
  5: 'unsupported security scheme',
  6: 'page not found or content error',
};

let compiled: Promise<CompiledPdfium> | undefined;
let library: Promise<Pdfium> | undefined;

/** PDFium's WebAssembly, compiled once per process on first use; a thread given the module shares its code. */
export function compilePdfium(): Promise<CompiledPdfium> {
  compiled ??= readFile(createRequire(import.meta.url).resolve('@hyzyla/pdfium/pdfium.wasm')).then((wasm) =>
    webAssembly.compile(wasm),
  );
  return compiled;
}

let factory: Promise<PdfiumFactory> | undefined;

/** The package's JavaScript, a quarter of a megabyte to parse, loaded once per thread on first use. */
export function loadPdfiumFactory(): Promise<PdfiumFactory> {
  factory ??= import('@hyzyla/pdfium').then((pdfium) => pdfium.PDFiumModule as unknown as PdfiumFactory);
  return factory;
}

/** A PDFium of its own (heap, documents) from the compiled module, initialised. */
export async function instantiatePdfium(module: CompiledPdfium): Promise<Pdfium> {
  const pdfium = await (await loadPdfiumFactory())({
    // Synchronously, so that a failure rejects the factory's promise instead of leaving it pending.
    instantiateWasm: (imports, receive) => {
      receive(new webAssembly.Instance(module, imports));
      return {};
    },
  });
  pdfium._FPDF_InitLibrary();
  return pdfium;
}

/** This thread's PDFium, made on first use, so the server and conversions of other formats never pay for it. */
export function loadPdfium(): Promise<Pdfium> {
  library ??= compilePdfium().then(instantiatePdfium);
  return library;
}
