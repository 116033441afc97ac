// A small syntax highlighter for the lessons' Python and Rust: spans with classes, built
// with DOM methods. The code's text is never changed (textContent stays the source).

/** @typedef {[string, RegExp]} Rule  a class name ('' for plain) and a sticky pattern */

/** @type {Record<'python' | 'rust', Rule[]>} */
const RULES = {
  python: [
    ['comment', /#[^\n]*/y],
    ['string', /[rRbBfFuU]{0,2}(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/y],
    ['keyword', /(?:def|return|import|from|as|with|for|in|if|else|elif|while|not|and|or|is|None|True|False|class|lambda|try|except|finally|raise|pass|break|continue|yield|async|await)\b/y],
    ['builtin', /(?:print|range|len|list|int|float|str|__name__)\b/y],
    ['number', /\d+(?:\.\d+)?\b/y],
    ['', /[A-Za-z_]\w*/y],
  ],
  rust: [
    ['comment', /\/\/[^\n]*/y],
    ['comment', /\/\*[\s\S]*?\*\//y],
    ['string', /b?r?"(?:\\[\s\S]|[^"\\])*"/y],
    ['string', /'(?:\\.|[^'\\\n])'/y],
    ['lifetime', /'[A-Za-z_]\w*/y],
    ['keyword', /(?:as|break|const|continue|crate|dyn|else|enum|false|fn|for|if|impl|in|let|loop|match|mod|move|mut|pub|ref|return|self|Self|static|struct|super|trait|true|type|use|where|while)\b/y],
    ['macro', /[a-z_]\w*!/y],
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
