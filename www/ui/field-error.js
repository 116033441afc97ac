// A field's error, shown where the mistake is: the field marked invalid, the message in the
// box beside it and, for numbers, the offending token in its context, selected in the field.
// Used by the page's form and by <webpool-demo>.
//
// The box is a live region that is always in the document, empty when there is no error
// (styles shrink it to nothing then): a region that appears together with its text is
// often not announced, one that is filled is.

/**
 * Shows `message` as the error of `field` (null clears it).
 * @param {HTMLElement} field @param {HTMLElement} box @param {string | null} message
 */
export function showFieldError(field, box, message) {
  if (message === null) {
    field.removeAttribute('aria-invalid');
    box.replaceChildren();
    return;
  }
  field.setAttribute('aria-invalid', 'true');
  const described = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  if (box.id && !described.includes(box.id)) field.setAttribute('aria-describedby', [...described, box.id].join(' '));
  const p = document.createElement('p');
  p.className = 'error-message';
  p.textContent = message;
  box.replaceChildren(p);
}

/**
 * The numbers' mistake: its message, then a few characters either side with the token
 * marked; with `select`, the token is also selected in the field (which takes the focus).
 * @param {HTMLInputElement | HTMLTextAreaElement} field @param {HTMLElement} box
 * @param {{ message: string, start?: number, end?: number }} error  an InputError
 * @param {string} text  what was parsed
 * @param {{ select?: boolean, around?: number }} [options]
 */
export function showInputError(field, box, error, text, { select = false, around = 24 } = {}) {
  showFieldError(field, box, error.message);
  const { start, end } = error;
  if (start === undefined || end === undefined || end <= start) {
    if (select) field.focus();
    return;
  }
  // Newlines and runs of spaces read as one space here: the context is one line.
  const flat = (/** @type {string} */ s) => s.replace(/\s+/g, ' ');
  const from = Math.max(0, start - around);
  const to = Math.min(text.length, end + around);
  const context = document.createElement('p');
  context.className = 'error-context';
  const mark = document.createElement('mark');
  mark.textContent = flat(text.slice(start, end));
  context.append(`${from > 0 ? '…' : ''}${flat(text.slice(from, start))}`, mark, `${flat(text.slice(end, to))}${to < text.length ? '…' : ''}`);
  box.append(context);
  if (select) {
    field.focus();
    field.setSelectionRange(start, end);
  }
}
