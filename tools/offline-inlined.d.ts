// The module that tools/dist.mjs makes for each offline bundle: the worker scripts (classic
// scripts, by file name) and the wasm modules (gzip, in base64, by file name) it inlines.
declare module 'webpool-offline:inlined' {
  export const scripts: Record<string, string>;
  export const wasm: Record<string, string>;
}
