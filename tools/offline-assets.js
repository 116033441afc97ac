// The single offline file's stand-in for www/assets.js (tools/dist.mjs bundles it in that
// module's place): its worker scripts and its WebAssembly are inlined in the file itself,
// since a page opened from disk (file://) may fetch nothing. Chromium refuses there module
// scripts from files, Workers from file: URLs and blob: module workers, but runs blob:
// classic workers; Firefox runs both. So each worker is a classic script (a bundle with its
// imports inside) started from a blob: URL, and the wasm is gzip text in base64.

import { scripts, wasm } from 'webpool-offline:inlined';

/** A blob: URL per script, made once. @type {Map<string, string>} */
const blobs = new Map();

/** The file a URL names: `engine.js` of `file:///…/engine.js`. @param {string | URL} url */
const fileOf = (url) => new URL(url).pathname.split('/').pop() ?? '';

/**
 * Starts the worker whose script is inlined under the name `url` ends with.
 * @param {URL} url @param {string} name
 * @returns {Worker}
 */
export function startWorker(url, name) {
  const file = fileOf(url);
  const source = scripts[file];
  if (source === undefined) throw new Error(`${file} is not inlined in this file`);
  let blob = blobs.get(file);
  if (!blob) {
    blob = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    blobs.set(file, blob);
  }
  return new Worker(blob, { name });
}

/**
 * The inlined module `url` names, as a response `WebAssembly.compileStreaming` takes.
 * @param {string} url
 * @returns {Promise<Response>}
 */
export async function fetchWasm(url) {
  const file = fileOf(url);
  const packed = wasm[file];
  if (packed === undefined) {
    throw new Error(`${file} is not in this file, which holds only the processes backend (threads need a page served with COOP/COEP headers)`);
  }
  const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const body = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(body, { headers: { 'Content-Type': 'application/wasm' } });
}
