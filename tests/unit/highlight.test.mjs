// The lessons' code as a reader sees it (www/ui/highlight.js): which words are keywords in
// Rust and in Python, and that the source's text is only ever text.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { codeElement, innerHtml, installDocument, text } from './dom.mjs';
import { PYTHON_KEYWORDS, RUST_KEYWORDS, highlight } from '../../www/ui/highlight.js';

/** @type {ReturnType<typeof installDocument>} */
let document;
before(() => {
  document = installDocument();
});

/** The markup `highlight` builds for `source`. @param {string} source @param {'python' | 'rust'} language */
function markup(source, language) {
  const code = codeElement();
  highlight(code, source, language);
  return innerHtml(code);
}

/**
 * The highlighted pieces of `source`, `[class, text]` each, in order (plain text left out).
 * @param {string} source @param {'python' | 'rust'} language
 */
function tokens(source, language) {
  const unescape = (/** @type {string} */ s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return [...markup(source, language).matchAll(/<span class="tok-([a-z]+)">([^<]*)<\/span>/g)]
    .map(([, name, piece]) => [name, unescape(piece ?? '')]);
}

/** The words highlighted with `name`. @param {string} source @param {'python' | 'rust'} language @param {string} name */
function highlighted(source, language, name) {
  return tokens(source, language).filter(([n]) => n === name).map(([, piece]) => piece);
}

describe('Rust', () => {
  test('the lessons are async: `async` and `.await` are keywords', () => {
    assert.equal(
      markup('pub async fn main(cx: &Context) -> Result<(), LessonError> {', 'rust'),
      '<span class="tok-keyword">pub</span> <span class="tok-keyword">async</span> <span class="tok-keyword">fn</span> '
        + 'main(cx: &amp;<span class="tok-type">Context</span>) -&gt; <span class="tok-type">Result</span>&lt;(), '
        + '<span class="tok-type">LessonError</span>&gt; {',
    );
    assert.deepEqual(highlighted('    process.join().await?;', 'rust', 'keyword'), ['await']);
  });

  test('keywords: fn, let, mut, async, await, move, unsafe, …', () => {
    for (const word of ['fn', 'let', 'mut', 'async', 'await', 'move', 'unsafe', 'impl', 'match', 'Self', 'self', 'true']) {
      assert.ok(RUST_KEYWORDS.includes(word), word);
    }
    for (const word of RUST_KEYWORDS) {
      assert.equal(markup(word, 'rust'), `<span class="tok-keyword">${word}</span>`, word);
    }
    assert.deepEqual(highlighted('let mut squares = numbers.iter().map(move |n| n * n);', 'rust', 'keyword'), ['let', 'mut', 'move']);
  });

  test('only whole words: `letter`, `async_op`, `fnord`, `inner` and `typeof_` are names', () => {
    assert.deepEqual(tokens('letter + async_op + fnord + inner + typeof_', 'rust'), []);
  });

  test('comments, strings, characters, lifetimes, macros, types and numbers', () => {
    assert.deepEqual(tokens("//! Q3. Write a process\n/// docs\n/* block */", 'rust'), [
      ['comment', '//! Q3. Write a process'], ['comment', '/// docs'], ['comment', '/* block */'],
    ]);
    assert.deepEqual(tokens('println!("Number: {i}", \'x\');', 'rust'), [
      ['macro', 'println!'], ['string', '"Number: {i}"'], ['string', "'x'"],
    ]);
    assert.deepEqual(tokens("fn f<'a>(x: &'a str) -> Vec<u64> { 1_000u64 + 2.5e3 }", 'rust'), [
      ['keyword', 'fn'], ['lifetime', "'a"], ['lifetime', "'a"], ['type', 'Vec'], ['number', '1_000u64'], ['number', '2.5e3'],
    ]);
    // A comment's keywords are the comment's.
    assert.deepEqual(tokens('// let the pool wait', 'rust'), [['comment', '// let the pool wait']]);
  });

  test('`a!=b` is a name and an operator, not a macro', () => {
    assert.deepEqual(tokens('if a!=b {}', 'rust'), [['keyword', 'if']]);
  });

  test('every lesson keeps its text, and its async fns are highlighted', async () => {
    for (const q of ['q1', 'q2', 'q3', 'q4', 'q5', 'q6']) {
      const source = await readFile(new URL(`../../src/lessons/${q}.rs`, import.meta.url), 'utf8');
      const code = codeElement();
      highlight(code, source, 'rust');
      assert.equal(text(code), source, q);
      const keywords = highlighted(source, 'rust', 'keyword');
      assert.ok(keywords.includes('async'), `${q}: async`);
      if (source.includes('.await')) assert.ok(keywords.includes('await'), `${q}: await`);
    }
  });
});

describe('Python', () => {
  test('keywords: def, import, async, await, with, as, …', () => {
    for (const word of ['def', 'import', 'from', 'async', 'await', 'with', 'as', 'return', 'None', 'lambda']) {
      assert.ok(PYTHON_KEYWORDS.includes(word), word);
    }
    for (const word of PYTHON_KEYWORDS) {
      assert.equal(markup(word, 'python'), `<span class="tok-keyword">${word}</span>`, word);
    }
    assert.deepEqual(highlighted('async def main():\n    await asyncio.sleep(1)', 'python', 'keyword'), ['async', 'def', 'await']);
  });

  test('only whole words: `define`, `imports`, `is_prime`, `format` and `async_` are names', () => {
    assert.deepEqual(tokens('define(imports, is_prime, format, async_)', 'python'), []);
  });

  test('builtins, numbers, comments and strings', () => {
    assert.deepEqual(tokens('if __name__ == "__main__":', 'python'), [
      ['keyword', 'if'], ['builtin', '__name__'], ['string', '"__main__"'],
    ]);
    assert.deepEqual(tokens('print(f"Squares: {squares}")  # done', 'python'), [
      ['builtin', 'print'], ['string', 'f"Squares: {squares}"'], ['comment', '# done'],
    ]);
    assert.deepEqual(tokens('x = 1_000 + 2.5 + 3e6 + x1', 'python'), [
      ['number', '1_000'], ['number', '2.5'], ['number', '3e6'],
    ]);
    assert.deepEqual(tokens('"""Function to compute the square of a number."""', 'python'), [
      ['string', '"""Function to compute the square of a number."""'],
    ]);
  });

  test('every notebook cell keeps its text', async () => {
    for (const q of ['q1', 'q3', 'q4', 'q5', 'q6']) {
      const source = await readFile(new URL(`../../src/lessons/${q}.py`, import.meta.url), 'utf8');
      const code = codeElement();
      highlight(code, source, 'python');
      assert.equal(text(code), source, q);
      assert.ok(highlighted(source, 'python', 'keyword').includes('def'), q);
    }
  });
});

describe('the source is text, never HTML', () => {
  const hostile = 'let s = "<img src=x onerror=alert(1)>"; // </code><script>alert(2)</script> & more';

  test('markup in the source comes out escaped, and only spans are made', () => {
    const made = document.created.length;
    assert.equal(
      markup(hostile, 'rust'),
      '<span class="tok-keyword">let</span> s = <span class="tok-string">"&lt;img src=x onerror=alert(1)&gt;"</span>; '
        + '<span class="tok-comment">// &lt;/code&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; more</span>',
    );
    assert.deepEqual(new Set(document.created.slice(made)), new Set(['span']));
  });

  test('textContent is the source, in both languages', () => {
    for (const language of /** @type {const} */ (['rust', 'python'])) {
      const code = codeElement();
      highlight(code, hostile, language);
      assert.equal(text(code), hostile);
    }
  });

  test('highlighting again replaces the code, it does not add to it', () => {
    const code = codeElement();
    highlight(code, 'fn a() {}', 'rust');
    highlight(code, 'def b(): pass', 'python');
    assert.equal(text(code), 'def b(): pass');
  });
});
