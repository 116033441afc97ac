// One lesson of the notebook inside a `<webpool-demo lesson="q1">`: the same card as on
// webpool's page (the notebook's Python beside the Rust that runs, a Run button, the printed
// lines and the timeline), built by the same Lessons class, in the element's shadow root
// with the page's style sheet. The card reads the lesson's source from the engine, so the
// shared pool starts when the card first scrolls into view, not at page load.

import * as shared from '../shared-pool.js';
import { messageOf } from './errors.js';
import { Lessons } from './lessons.js';

/** The notebook's lessons: what `lesson="…"` may name. */
export const LESSON_IDS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6'];

const template = document.createElement('template');
template.innerHTML = `<link rel="stylesheet" href="${new URL('../style.css', import.meta.url).href}">
<div class="lesson-demo" part="box">
  <div class="lesson-controls">
    <div class="inline-field">
      <label for="speed" part="label">Speed</label>
      <select id="speed" part="input" aria-describedby="speed-help"></select>
    </div>
    <p id="speed-help" class="help">Multiplies every sleep of the lesson.</p>
  </div>
  <p class="lessons-state" part="status" role="status"></p>
  <div class="lesson-cards"></div>
</div>`;

export class LessonCard {
  /**
   * Shows lesson `id` in `root` (which it fills), on the page's shared pool of `backend`.
   * @param {ShadowRoot} root @param {string} id @param {import('../webpool.js').Backend | 'auto'} backend
   */
  constructor(root, id, backend) {
    root.replaceChildren(template.content.cloneNode(true));
    const $ = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
    const state = $('.lessons-state');
    state.textContent = `${id.toUpperCase()}'s card appears when it scrolls into view.`;
    /** @type {(() => void) | null} the turn on the shared pool while the lesson runs */
    let done = null;
    const lessons = new Lessons({ speed: /** @type {HTMLSelectElement} */ ($('#speed')), cards: $('.lesson-cards'), nav: null, state }, {
      claim: () => {
        // The element is the owner: if it leaves the page, its turn ends with it.
        done = shared.takeNow(root.host);
        return done ? true : 'Not now: another demo on this page is running, and the demos share one pool. Run this lesson when it ends.';
      },
      release: () => {
        done?.();
        done = null;
      },
    }, { only: id });
    this.lessons = lessons;
    this.observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      this.observer.disconnect();
      state.textContent = `Starting the pool for ${id.toUpperCase()}…`;
      shared.open(backend, 2).then((pool) => {
        state.textContent = '';
        lessons.show(pool);
      }, (error) => {
        state.textContent = `The pool could not start: ${messageOf(error)}`;
      });
    });
    this.observer.observe(/** @type {Element} */ (root.host));
  }

  /** The element left the page: a lesson running stops (its turn ends when it has). */
  dispose() {
    this.observer.disconnect();
    this.lessons.stop();
  }
}
