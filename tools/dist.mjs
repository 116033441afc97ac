// What ./build.sh distributes, made from www/ once www/pkg is built (`node tools/dist.mjs`):
//
//   dist/webpool/               the folder a site copies (or `npm install`s): the API module,
//                               the element, the engine and worker scripts, both wasm builds,
//                               the isolation service worker, package.json and .d.ts types.
//                               Its modules are www/'s, unchanged: they find each other and
//                               the wasm beside themselves, so it works under any path and
//                               from another origin (see www/assets.js).
//   dist/webpool-offline.html   the page (www/index.html, app.js, ui/, style.css) in one file
//                               that runs opened from disk, on the processes backend: scripts,
//                               styles and the processes wasm inlined, workers from blob: URLs.
//
// esbuild does the bundling (the offline file) and finds which files the folder needs (the
// import graph of its entry points, and what they load by `new URL('…', import.meta.url)`, so
// a new module is never left out); tsc writes the types from the JSDoc. Nothing here is committed: dist/ is ignored by git.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const www = join(root, 'www');
const dist = join(root, 'dist');

/** The modules a site loads by URL: the API, the element, the workers, the isolation helpers. */
const ENTRIES = ['webpool.js', 'webpool-demo.js', 'engine.js', 'process.js', 'isolate.js', 'isolate-sw.js'];
/** Their public face: what package.json exports, with types where a module has any. */
const EXPORTS = { '.': 'webpool.js', './webpool.js': 'webpool.js', './webpool-demo.js': 'webpool-demo.js', './isolate.js': 'isolate.js', './isolate-sw.js': 'isolate-sw.js' };

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`tools/dist.mjs: ${message}`);
  process.exit(1);
}

/** name, version, description and license of the crate, from Cargo.toml's [package]. */
function cratePackage() {
  const toml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const section = toml.split(/^\[/m).find((s) => s.startsWith('package]')) ?? '';
  /** @param {string} key */
  const field = (key) => section.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm'))?.[1] ?? fail(`no ${key} in Cargo.toml's [package]`);
  return { name: field('name'), version: field('version'), description: field('description'), license: field('license') };
}

/**
 * The files of www/ that the entries need (paths relative to www/): what they import,
 * directly or not, and what they load by `new URL('…', import.meta.url)` (a worker script, a
 * stylesheet, a wasm module), with what those import in turn.
 */
async function neededFiles() {
  const entries = new Set(ENTRIES);
  for (;;) {
    const files = await importedFiles([...entries]);
    const loaded = files.flatMap((file) => (file.endsWith('.js') ? loadedBy(file) : []));
    const more = loaded.filter((file) => file.endsWith('.js') && !entries.has(file));
    if (!more.length) return [...new Set([...files, ...loaded])];
    for (const file of more) entries.add(file);
  }
}

/**
 * The files of www/ that `file` loads by URL: `new URL('…', import.meta.url)` with a literal.
 * @param {string} file relative to www/ @returns {string[]}
 */
function loadedBy(file) {
  const text = readFileSync(join(www, file), 'utf8');
  return [...text.matchAll(/new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g)]
    .map((m) => relative(www, join(www, dirname(file), m[2])))
    .filter((target) => !target.startsWith('..') && existsSync(join(www, target)) && statSync(join(www, target)).isFile());
}

/** The files of www/ that `entries` import, directly or not (paths relative to www/). @param {string[]} entries */
async function importedFiles(entries) {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: entries.map((e) => `www/${e}`),
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    outdir: 'dist/unused',
    // webpool-demo.js imports webpool.js by a computed URL, which esbuild only warns about:
    // webpool.js is an entry anyway.
    logLevel: 'error',
  });
  return Object.keys(metafile.inputs).map((input) => {
    const file = relative(www, join(root, input));
    if (file.startsWith('..')) fail(`an entry imports ${input}, outside www/`);
    return file;
  });
}

/** Writes dist/webpool/ (built aside, then swapped in whole). */
async function writeFolder() {
  if (!existsSync(join(www, 'pkg/webpool_bg.wasm')) || !existsSync(join(www, 'pkg/webpool_processes_bg.wasm'))) {
    fail('www/pkg is not built: run ./build.sh first');
  }
  // Aside, named for this process: two builds at once never write into each other's.
  const out = join(dist, `.webpool-next-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  const files = new Set(await neededFiles());
  // Fetched or read, not imported: the wasm builds and the bindings' types.
  for (const file of readdirSync(join(www, 'pkg'))) {
    if (file.endsWith('.wasm') || file.endsWith('.d.ts')) files.add(`pkg/${file}`);
  }
  for (const file of files) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    cpSync(join(www, file), join(out, file));
  }

  // Types from the JSDoc, for the modules a site imports and what they import.
  const tsc = join(root, 'node_modules/.bin/tsc');
  try {
    execFileSync(tsc, ['-p', join(root, 'tools/tsconfig.dist.json'), '--outDir', out], { stdio: 'inherit' });
  } catch {
    fail('tsc could not write the types');
  }

  const crate = cratePackage();
  const typed = (/** @type {string} */ js) => {
    const types = js.replace(/\.js$/, '.d.ts');
    return existsSync(join(out, types)) ? { types: `./${types}`, default: `./${js}` } : `./${js}`;
  };
  const pkg = {
    name: crate.name,
    version: crate.version,
    description: crate.description,
    license: crate.license,
    type: 'module',
    main: './webpool.js',
    types: './webpool.d.ts',
    exports: { ...Object.fromEntries(Object.entries(EXPORTS).map(([key, js]) => [key, typed(js)])), './package.json': './package.json' },
    // The element defines itself when imported; the service worker and the workers are loaded by URL.
    sideEffects: ['./webpool-demo.js', './isolate-sw.js', './engine.js', './process.js'],
    files: readdirSync(out).sort(),
  };
  for (const [key, js] of Object.entries(EXPORTS)) if (!files.has(js)) fail(`${key} names ${js}, which is not in the folder`);
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(out, 'README.md'), folderReadme(crate));

  rmSync(join(dist, 'webpool'), { recursive: true, force: true });
  renameSync(out, join(dist, 'webpool'));
  return join(dist, 'webpool');
}

/** @param {{ name: string, version: string, description: string }} crate */
function folderReadme(crate) {
  return `# ${crate.name} ${crate.version}

${crate.description}

Serve this folder as it is, beside your pages or from another site (which must then send
\`Access-Control-Allow-Origin\`, as CDNs do). One script tag and one element:

\`\`\`html
<script type="module" src="webpool/webpool-demo.js"></script>
<webpool-demo numbers="1 2 3 4 5" workers="2" kernel="square"></webpool-demo>
\`\`\`

Or the API, from a module script:

\`\`\`js
import { createPool } from './webpool/webpool.js';
const pool = await createPool({ workers: 2 });
(await pool.map('square', '1, 2, 3')).values;  // ['1', '4', '9']
\`\`\`

Its modules find the workers (\`engine.js\`, \`process.js\`) and the WebAssembly (\`pkg/\`)
beside themselves, by URL: serve them as files; do not bundle them. Threads need a cross-origin
isolated page (COOP/COEP headers, or \`isolate.js\` with \`isolate-sw.js\` copied to your own
origin, at or above your pages); elsewhere webpool runs on processes. Types: \`webpool.d.ts\`.
`;
}

// ---------------------------------------------------------------- the offline file

/**
 * An esbuild plugin for the offline bundles: www/assets.js becomes tools/offline-assets.js,
 * which reads `scripts` and `wasm` from this build; the threaded bindings, never loaded from
 * disk, become a module that says so.
 * @param {{ scripts: Record<string, string>, wasm: Record<string, string> }} inlined
 * @returns {import('esbuild').Plugin}
 */
function offline(inlined) {
  return {
    name: 'webpool-offline',
    setup(b) {
      b.onResolve({ filter: /(^|\/)assets\.js$/ }, (args) => (args.importer.startsWith(www)
        ? { path: join(root, 'tools/offline-assets.js') }
        : undefined));
      b.onResolve({ filter: /^webpool-offline:inlined$/ }, () => ({ path: 'inlined', namespace: 'webpool-offline' }));
      b.onLoad({ filter: /.*/, namespace: 'webpool-offline' }, () => ({
        contents: `export const scripts = ${JSON.stringify(inlined.scripts)};\nexport const wasm = ${JSON.stringify(inlined.wasm)};\n`,
        loader: 'js',
      }));
      b.onResolve({ filter: /\/pkg\/webpool\.js$/ }, () => ({ path: 'no-threads', namespace: 'webpool-no-threads' }));
      b.onLoad({ filter: /.*/, namespace: 'webpool-no-threads' }, () => ({
        contents: "throw new Error('the offline file holds only the processes backend: threads need a page served with COOP/COEP headers');\n",
        loader: 'js',
      }));
    },
  };
}

/**
 * One bundle's text. Workers are classic scripts (Chromium runs no module worker from a
 * page opened from disk), whose `import.meta.url` names them for tools/offline-assets.js.
 * @param {string} entry a file of www/
 * @param {'iife' | 'esm'} format
 * @param {{ scripts: Record<string, string>, wasm: Record<string, string> }} inlined
 */
async function bundle(entry, format, inlined = { scripts: {}, wasm: {} }) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [`www/${entry}`],
    bundle: true,
    write: false,
    format,
    platform: 'browser',
    minify: true,
    legalComments: 'none',
    define: format === 'iife' ? { 'import.meta.url': JSON.stringify(`webpool-offline:/${entry}`) } : {},
    plugins: [offline(inlined)],
    logLevel: 'error',
  });
  return (result.outputFiles ?? fail(`esbuild wrote nothing for ${entry}`))[0].text;
}

/** The page's stylesheet, its imports inlined. */
async function stylesheet() {
  const result = await build({ absWorkingDir: root, entryPoints: ['www/style.css'], bundle: true, write: false, minify: true, logLevel: 'error', outdir: 'dist/unused' });
  return (result.outputFiles ?? fail('esbuild wrote no stylesheet'))[0].text;
}

/**
 * Replaces the one occurrence of `from` in `html` (fails if there is not exactly one).
 * @param {string} html @param {string} from @param {string} to
 */
function replaceOnce(html, from, to) {
  const at = html.indexOf(from);
  if (at < 0 || html.indexOf(from, at + 1) >= 0) fail(`www/index.html should hold ${from} exactly once`);
  return html.slice(0, at) + to + html.slice(at + from.length);
}

/** Writes dist/webpool-offline.html. */
async function writeOffline() {
  const processWorker = await bundle('process.js', 'iife');
  const engine = await bundle('engine.js', 'iife', { scripts: { 'process.js': processWorker }, wasm: {} });
  const wasm = gzipSync(readFileSync(join(www, 'pkg/webpool_processes_bg.wasm')), { level: 9 }).toString('base64');
  const app = await bundle('app.js', 'esm', { scripts: { 'engine.js': engine }, wasm: { 'webpool_processes_bg.wasm': wasm } });
  const css = await stylesheet();
  for (const [what, text, end] of [['the script', app, '</script'], ['the styles', css, '</style']]) {
    if (text.toLowerCase().includes(end)) fail(`${what} hold ${end}, which would end the inline element early`);
  }

  let html = readFileSync(join(www, 'index.html'), 'utf8');
  html = replaceOnce(html, '<!doctype html>\n', `<!doctype html>\n<!-- webpool's page in one file, to open from disk: made by tools/dist.mjs from www/index.html,
     app.js, ui/ and style.css, with the processes backend's wasm inlined. Do not edit: rebuild. -->\n`);
  html = replaceOnce(html, '<link rel="stylesheet" href="style.css">', `<style>${css}</style>`);
  html = replaceOnce(html, '<script type="module" src="app.js"></script>', `<script type="module">${app}</script>`);
  // The benchmark page is not in this file.
  html = html.replace(/\s*<a href="bench\.html">Benchmark<\/a>\./, '');
  const local = [...html.matchAll(/\s(?:src|href)="(?!#|data:|https?:|mailto:)([^"]*)"/g)].map((m) => m[1]);
  if (local.length) fail(`the offline file still refers to files beside it: ${local.join(', ')}`);

  const file = join(dist, 'webpool-offline.html');
  writeFileSync(`${file}.${process.pid}`, html);
  renameSync(`${file}.${process.pid}`, file);
  return file;
}

/** Bytes under `path`, a file or a folder. @param {string} path @returns {number} */
function size(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, f) => sum + size(join(path, f)), 0);
}

mkdirSync(dist, { recursive: true });
for (const written of [await writeFolder(), await writeOffline()]) {
  console.error(`${relative(root, written)}: ${Math.round(size(written) / 1024)} KiB`);
}
