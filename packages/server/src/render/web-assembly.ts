// The parts of Node's WebAssembly API that faxd uses, typed here because TypeScript declares that API only with its DOM
// library, which a server does not load.

/** A module's linear memory: its bytes, which grow in place (a view of the old buffer is then detached). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** What an instance exports, as JavaScript sees it. */
export interface WasmInstance {
  readonly exports: Readonly<Record<string, unknown>>;
}

/** A compiled module; branded so that only what WebAssembly compiled passes for one. */
export type WasmModule = { readonly [compiledModule]: true };
declare const compiledModule: unique symbol;

interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
