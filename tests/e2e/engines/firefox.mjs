// Firefox for the end-to-end tests: Debian's firefox-esr, headless, through geckodriver (from
// `cargo install geckodriver`, as for `wasm-pack test --firefox`) over classic WebDriver
// (./webdriver.mjs).
//
// Not over WebDriver BiDi, though puppeteer-core drives Firefox that way (./firefox-bidi.mjs,
// with WEBPOOL_FIREFOX=bidi): a BiDi session makes Firefox watch every Web Worker through its
// worker debugger (the Remote Agent's WebDriverWorkerListener), and with it watching, starting
// the threads engine or a lesson on it never finished about 1 time in 20 here (the Web
// Workers that wasm-bindgen-rayon starts from the engine's Worker). The same page ran 80
// starts and 80 lessons without a hang in Firefox with no automation, and 60 of each through
// geckodriver. Firefox's DevTools attach the same kind of debugger: see README.
import { launchWebDriver } from './webdriver.mjs';

/** Headless Firefox ESR; each context is a geckodriver and a Firefox of its own. */
export async function launch() {
  if (process.env.WEBPOOL_FIREFOX === 'bidi') return (await import('./firefox-bidi.mjs')).launch();
  return launchWebDriver({
    engine: 'firefox',
    command: process.env.GECKODRIVER ?? 'geckodriver',
    capabilities: {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
        args: ['-headless'],
        prefs: {
          // Lets navigator.clipboard.readText() read without the paste prompt that a person
          // answers (Firefox's own tests set it): the tests read what the page copied.
          'dom.events.testing.asyncClipboard': true,
        },
      },
    },
  });
}
