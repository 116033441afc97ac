// The notebook's Markdown cell as the page shows it (www/ui/markdown.js): headings,
// paragraphs, a table, **bold** and `code`; any HTML in it stays text.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { html, installDocument, text } from './dom.mjs';
import { renderMarkdown } from '../../www/ui/markdown.js';

/** @type {ReturnType<typeof installDocument>} */
let document;
before(() => {
  document = installDocument();
});

const render = (/** @type {string} */ markdown, /** @type {number | undefined} */ level = undefined) => html(renderMarkdown(markdown, level));

describe('headings', () => {
  test('`#` to `###` get the level asked for (h4 by default), deeper ones one more each', () => {
    assert.equal(render('### Summary'), '<h4>Summary</h4>');
    assert.equal(render('# Top'), '<h4>Top</h4>');
    assert.equal(render('#### Detail'), '<h5>Detail</h5>');
    assert.equal(render('### Summary', 2), '<h2>Summary</h2>');
  });
  test('never deeper than h6', () => {
    assert.equal(render('###### Deep'), '<h6>Deep</h6>');
    assert.equal(render('### Summary', 9), '<h6>Summary</h6>');
  });
  test('a `#` without a space is a paragraph', () => {
    assert.equal(render('#Q.1 not a heading'), '<p>#Q.1 not a heading</p>');
  });
});

describe('paragraphs and inline markup', () => {
  test('lines join into one paragraph; a blank line starts the next', () => {
    assert.equal(render('one\n  two\n\nthree'), '<p>one two</p><p>three</p>');
  });
  test('**bold** and `code`', () => {
    assert.equal(render('A **Pool** runs `map` on **4** workers.'),
      '<p>A <strong>Pool</strong> runs <code>map</code> on <strong>4</strong> workers.</p>');
  });
  test('unclosed or empty markers stay as written', () => {
    assert.equal(render('2 ** 3 and `x and ****'), '<p>2 ** 3 and `x and ****</p>');
  });
});

describe('tables', () => {
  test('a header row, then rows whose first cell heads the row', () => {
    assert.equal(render('| Aspect | Processes |\n|---|:---|\n| **GIL** | Bypassed |'),
      '<div class="table-scroll" tabindex="0"><table>'
        + '<thead><tr><th scope="col">Aspect</th><th scope="col">Processes</th></tr></thead>'
        + '<tbody><tr><th scope="row"><strong>GIL</strong></th><td>Bypassed</td></tr></tbody>'
        + '</table></div>');
  });

  test("the notebook's Q2 cell: a heading, a 7-row table and a paragraph", async () => {
    const source = await readFile(new URL('../../src/lessons/q2.md', import.meta.url), 'utf8');
    const out = render(source);
    assert.match(out, /^<h4>Summary<\/h4><div class="table-scroll" tabindex="0"><table><thead><tr><th scope="col">Aspect<\/th><th scope="col">Multiprocessing<\/th><th scope="col">Multithreading<\/th><\/tr><\/thead><tbody>/);
    assert.equal(out.match(/<th scope="row">/g)?.length, 7);
    assert.match(out, /<tr><th scope="row"><strong>GIL<\/strong><\/th><td>Bypasses GIL, true parallelism<\/td><td>Limited by GIL in CPython<\/td><\/tr>/);
    assert.match(out, /<\/table><\/div><p>Choosing between multiprocessing and multithreading depends on .*<\/p>$/);
    assert.doesNotMatch(out, /---/);
  });
});

describe('the text is never parsed as HTML', () => {
  test('tags in headings, paragraphs, cells, bold and code come out as text', () => {
    const made = document.created.length;
    const hostile = '### <img src=x onerror=alert(1)>\n'
      + 'a <script>alert(2)</script> & **<b>bold</b>** `<i>code</i>`\n\n'
      + '| <u>head</u> |\n|---|\n| <em>cell</em> |';
    const fragment = renderMarkdown(hostile);
    assert.equal(html(fragment),
      '<h4>&lt;img src=x onerror=alert(1)&gt;</h4>'
        + '<p>a &lt;script&gt;alert(2)&lt;/script&gt; &amp; <strong>&lt;b&gt;bold&lt;/b&gt;</strong> <code>&lt;i&gt;code&lt;/i&gt;</code></p>'
        + '<div class="table-scroll" tabindex="0"><table><thead><tr><th scope="col">&lt;u&gt;head&lt;/u&gt;</th></tr></thead>'
        + '<tbody><tr><th scope="row">&lt;em&gt;cell&lt;/em&gt;</th></tr></tbody></table></div>');
    const elements = new Set(document.created.slice(made));
    for (const tag of ['img', 'script', 'b', 'i', 'u', 'em']) assert.ok(!elements.has(tag), tag);
    assert.match(text(fragment), /<script>alert\(2\)<\/script>/);
  });
});
