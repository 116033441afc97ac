// Just enough Markdown for the notebook's Q2 answer: headings, paragraphs and a table, with
// **bold** and `code` inline. Built with DOM methods; the text is never parsed as HTML.

/**
 * @param {string} markdown
 * @param {number} [headingLevel]  the level a `#`, `##` or `###` heading gets (the notebook's
 *   cells start at `###`); `####` is one level deeper, and so on, down to `h6`
 * @returns {DocumentFragment}
 */
export function renderMarkdown(markdown, headingLevel = 4) {
  const fragment = document.createDocumentFragment();
  const lines = markdown.split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i += 1;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const h = document.createElement(`h${Math.min(6, headingLevel + Math.max(0, heading[1].length - 3))}`);
      inline(h, heading[2]);
      fragment.append(h);
      i += 1;
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      const rows = [];
      while (i < lines.length && lines[i].trimStart().startsWith('|')) rows.push(lines[i++]);
      fragment.append(table(rows));
      continue;
    }
    const paragraph = [];
    while (i < lines.length && lines[i].trim() && !/^(#{1,6}\s|\s*\|)/.test(lines[i])) paragraph.push(lines[i++].trim());
    const p = document.createElement('p');
    inline(p, paragraph.join(' '));
    fragment.append(p);
  }
  return fragment;
}

/** @param {string[]} rows */
function table(rows) {
  const cells = (/** @type {string} */ row) => row.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  const wrap = document.createElement('div');
  wrap.className = 'table-scroll';
  wrap.tabIndex = 0;
  const t = document.createElement('table');
  const body = rows.filter((row) => !/^\s*\|?\s*:?-{3,}/.test(row));
  const [head, ...rest] = body;
  const thead = t.createTHead().insertRow();
  for (const cell of cells(head ?? '')) {
    const th = document.createElement('th');
    th.scope = 'col';
    inline(th, cell);
    thead.append(th);
  }
  const tbody = t.createTBody();
  for (const row of rest) {
    const tr = tbody.insertRow();
    cells(row).forEach((cell, c) => {
      const td = document.createElement(c === 0 ? 'th' : 'td');
      if (c === 0) /** @type {HTMLTableCellElement} */ (td).scope = 'row';
      inline(td, cell);
      tr.append(td);
    });
  }
  wrap.append(t);
  return wrap;
}

/**
 * Appends `text` to `parent` with **bold** and `code`. Bold starts and ends next to a word,
 * as in CommonMark: `2 ** 3 ** 2` stays as written.
 * @param {HTMLElement} parent @param {string} text
 */
function inline(parent, text) {
  for (const piece of text.split(/(\*\*[^*\s](?:[^*]*[^*\s])?\*\*|`[^`]+`)/)) {
    if (!piece) continue;
    if (piece.startsWith('**') && piece.endsWith('**') && piece.length > 4) {
      const strong = document.createElement('strong');
      strong.textContent = piece.slice(2, -2);
      parent.append(strong);
    } else if (piece.startsWith('`') && piece.endsWith('`') && piece.length > 2) {
      const code = document.createElement('code');
      code.textContent = piece.slice(1, -1);
      parent.append(code);
    } else {
      parent.append(piece);
    }
  }
}
