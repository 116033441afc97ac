// A small syntax highlighter for the lessons' Python and Rust: spans with classes, built
// with DOM methods. The code's text is never changed (textContent stays the source), and
// never parsed as HTML.

/** @typedef {[string, RegExp]} Rule  a class name ('' for plain) and a sticky pattern */

/** A sticky pattern for whole words: `in` is not the start of `int`. @param {readonly string[]} list */
const words = (list) => new RegExp(`(?:${list.join('|')})\\b`, 'y');

/** Python's keywords (`keyword.kwlist`). The lessons' notebook cells are Python. */
export const PYTHON_KEYWORDS = Object.freeze([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
  'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global',
  'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return',
  'try', 'while', 'with', 'yield',
]);

/** The builtins the notebook's cells call, shown apart from plain names. */
export const PYTHON_BUILTINS = Object.freeze(['print', 'range', 'len', 'list', 'int', 'float', 'str', '__name__']);

/** Rust's strict keywords (2018 edition and later): the lessons are `async fn`s that `.await`. */
export const RUST_KEYWORDS = Object.freeze([
  'as', 'async', 'await', 'break', 'const', 'continue', 'crate', 'dyn', 'else', 'enum',
  'extern', 'false', 'fn', 'for', 'if', 'impl', 'in', 'let', 'loop', 'match', 'mod', 'move',
  'mut', 'pub', 'ref', 'return', 'self', 'Self', 'static', 'struct', 'super', 'trait', 'true',
  'type', 'unsafe', 'use', 'where', 'while',
]);

/** @type {Record<'python' | 'rust', Rule[]>} */
const RULES = {
  python: [
    ['comment', /#[^\n]*/y],
    ['string', /[rRbBfFuU]{0,2}(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/y],
    ['keyword', words(PYTHON_KEYWORDS)],
    ['builtin', words(PYTHON_BUILTINS)],
    ['number', /\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?j?\b/y],
    ['', /[A-Za-z_]\w*/y],
  ],
  rust: [
    ['comment', /\/\/[^\n]*/y],
    ['comment', /\/\*[\s\S]*?\*\//y],
    ['string', /b?r?"(?:\\[\s\S]|[^"\\])*"/y],
    ['string', /'(?:\\.|[^'\\\n])'/y],
    ['lifetime', /'[A-Za-z_]\w*/y],
    ['keyword', words(RUST_KEYWORDS)],
    // `println!` is a macro; `a!=b` is `a` and `!=`.
    ['macro', /[a-z_]\w*!(?!=)/y],
    ['type', /[A-Z]\w*/y],
    ['number', /\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?(?:[iu](?:8|16|32|64|128|size)|f32|f64)?\b/y],
    ['', /[A-Za-z_]\w*/y],
  ],
};

/**
 * Fills `code` with `source`, highlighted as `language`.
 * @param {HTMLElement} code
 * @param {string} source
 * @param {'python' | 'rust'} language
 */
export function highlight(code, source, language) {
  const rules = RULES[language];
  const fragment = document.createDocumentFragment();
  let plain = '';
  let i = 0;
  outer: while (i < source.length) {
    for (const [name, pattern] of rules) {
      pattern.lastIndex = i;
      const match = pattern.exec(source);
      if (!match || match[0].length === 0) continue;
      // Words only start at a word boundary: `x1` is not a number, `define` not `def`.
      if (/\w/.test(match[0][0]) && i > 0 && /\w/.test(source[i - 1])) continue;
      if (name) {
        if (plain) fragment.append(plain);
        plain = '';
        const span = document.createElement('span');
        span.className = `tok-${name}`;
        span.textContent = match[0];
        fragment.append(span);
      } else {
        plain += match[0];
      }
      i += match[0].length;
      continue outer;
    }
    plain += source[i];
    i += 1;
  }
  if (plain) fragment.append(plain);
  code.replaceChildren(fragment);
}
