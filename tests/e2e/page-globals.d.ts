// What the end-to-end tests keep on the page's global object between two page.evaluate
// calls, and the API module as the page imports it (from the page's own URL, which tsc
// cannot follow from here).
interface Window {
  testPool: import('../../www/webpool.js').Pool;
  testDone: number;
}
