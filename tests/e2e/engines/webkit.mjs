// WebKit (Safari's engine) for the end-to-end tests: Debian's WebKitGTK MiniBrowser through
// WebKitWebDriver (./webdriver.mjs). The MiniBrowser has no headless mode: run the tests under
// `xvfb-run -a` (./build.sh test does).
import { launchWebDriver } from './webdriver.mjs';

/** Checks that there is a display for the MiniBrowser; each context starts one of its own. */
export function launch() {
  if (!process.env.DISPLAY) {
    throw new Error('WebKitGTK\'s MiniBrowser needs a display: run the WebKit tests under `xvfb-run -a` (./build.sh test does)');
  }
  return launchWebDriver({
    engine: 'webkit',
    command: process.env.WEBKITWEBDRIVER ?? 'WebKitWebDriver',
    // No browserName: with one, WebKitWebDriver answers "Failed to match capabilities".
    capabilities: {
      'webkitgtk:browserOptions': {
        binary: process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        args: ['--automation'],
      },
    },
  });
}
