#!/usr/bin/env bash
# webpool's one entry point. Installs what a step needs when it is missing.
#
#   ./build.sh            build both WebAssembly packages (threads, processes) into www/pkg, then
#                         dist/webpool/ (the folder a site copies) and dist/webpool-offline.html
#   ./build.sh serve      build, then serve www/ at http://127.0.0.1:8000 (--port N, --host H)
#   ./build.sh test       every test: native (stable), wasm (wasm-pack in headless Chromium and
#                         Firefox) and end-to-end in Chromium, Firefox and WebKit (WebKitGTK)
#   ./build.sh bench      benchmarks: native, in Chromium, and CPython's Pool, in one run, and
#                         their report: target/bench-report/index.html (SVG plots, figures.json)
#   ./build.sh bench-plots  copy that report's plots to docs/bench-*.svg (what the README shows)
#   ./build.sh soak       1,000 maps, 100 lessons, 100 resizes per backend: memory stays flat
#   ./build.sh screenshots  regenerate docs/*.png (the tests never write files)
#   ./build.sh fuzz [s]   fuzz the parser and the wire format for s seconds each (default 60)
#   ./build.sh cli ARGS   run the native command, e.g. ./build.sh cli lesson q1
set -euo pipefail
cd "$(dirname "$0")"

# A dated nightly, so a later machine builds the same thing: wasm-bindgen-rayon needs
# nightly for `-Z build-std` (std rebuilt with atomics).
NIGHTLY=nightly-2026-05-20
WASM_TARGET=wasm32-unknown-unknown
# The threaded build: std rebuilt with atomics; the rustflags are in .cargo/config.toml.
WASM_FLAGS=(--no-default-features --features threads --target "$WASM_TARGET" -Z build-std=panic_abort,std)
# The processes build: the same crate without atomics or shared memory (an empty
# CARGO_ENCODED_RUSTFLAGS overrides the config's), in a target dir of its own so the two
# builds never invalidate each other.
PROCESSES_FLAGS=(--no-default-features --target "$WASM_TARGET" --target-dir target/processes)

say() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_nightly() {
  if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1 \
    || ! rustup +"$NIGHTLY" target list --installed | grep -qx "$WASM_TARGET" \
    || ! rustup +"$NIGHTLY" component list --installed | grep -q '^rust-src' \
    || ! rustup +"$NIGHTLY" component list --installed | grep -q '^clippy'; then
    say "installing $NIGHTLY with rust-src, clippy and $WASM_TARGET"
    rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src,clippy --target "$WASM_TARGET"
  fi
}

ensure_stable_tools() {
  local missing=()
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    rustup component add "${missing[@]}"
  fi
}

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_bindgen() {
  local want have
  want=$(wasm_bindgen_version)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (a few minutes; --locked fails against this registry)"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

ensure_node_modules() {
  command -v node >/dev/null || {
    say "installing nodejs and npm"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  }
  # playwright-core (it drives Debian's Chromium and never downloads a browser),
  # selenium-webdriver (the WebDriver client for Firefox and WebKit), puppeteer-core (Firefox over
  # WebDriver BiDi, on request: tests/e2e/engines/firefox-bidi.mjs), the TypeScript compiler that checks the JSDoc types (a native binary, its platform's package),
  # and binaryen's wasm-opt.
  if [ ! -d node_modules/playwright-core ] || [ ! -x node_modules/.bin/tsc ] \
    || [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ] \
    || [ ! -d node_modules/vega-lite ] || [ ! -d node_modules/workerpool ] \
    || [ ! -d node_modules/selenium-webdriver ] || [ ! -d node_modules/puppeteer-core ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing the build and test tools: playwright-core, selenium-webdriver, typescript, esbuild (npm ci)"
    # puppeteer-core never downloads a browser; the variable says so to anything that might.
    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
  fi
}

ensure_python() {
  command -v python3 >/dev/null || {
    say "installing python3 (the numbers are checked against CPython)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null
  }
}

# Builds both packages. Refuses a threaded module that is not really threaded (since
# `+atomics` stopped implying shared memory, a wrong build succeeds silently) and a
# processes module that is (it would not load on a page without cross-origin isolation).
build_wasm() {
  ensure_nightly
  ensure_wasm_bindgen
  say "building the WebAssembly packages: threads, then processes"
  cargo +"$NIGHTLY" build --lib --release "${WASM_FLAGS[@]}"
  CARGO_ENCODED_RUSTFLAGS='' cargo +"$NIGHTLY" build --lib --release "${PROCESSES_FLAGS[@]}"
  rm -rf www/pkg
  wasm-bindgen "target/$WASM_TARGET/release/webpool.wasm" --out-dir www/pkg --target web
  wasm-bindgen "target/processes/$WASM_TARGET/release/webpool.wasm" --out-dir www/pkg \
    --out-name webpool_processes --target web
  if ! grep -q 'shared:true' www/pkg/webpool.js; then
    echo "build.sh: www/pkg/webpool.js does not create shared memory: the module is not threaded" >&2
    exit 1
  fi
  if grep -q 'shared:true' www/pkg/webpool_processes.js; then
    echo "build.sh: www/pkg/webpool_processes.js creates shared memory: it would need isolation" >&2
    exit 1
  fi
  optimize_wasm www/pkg/webpool_bg.wasm www/pkg/webpool_processes_bg.wasm
}

# wasm-opt from npm's binaryen (pinned in package-lock.json; it installs in seconds, where
# building binaryen from crates.io takes about 12 minutes, and Debian's 108 breaks the module).
# The features are those the modules use: threads need atomics and bulk memory.
optimize_wasm() {
  ensure_node_modules
  local wasm before
  for wasm in "$@"; do
    before=$(du -k "$wasm" | cut -f1)
    node_modules/.bin/wasm-opt -O3 --enable-threads --enable-bulk-memory --enable-mutable-globals \
      --enable-sign-ext --enable-nontrapping-float-to-int --enable-reference-types \
      --enable-multivalue "$wasm" -o "$wasm"
    say "$wasm: $before KiB, $(du -k "$wasm" | cut -f1) KiB after wasm-opt"
  done
}

# What a site or a learner takes away (tools/dist.mjs; dist/ is not committed): dist/webpool/,
# the folder to copy or npm-install (modules, workers, both wasm builds, package.json, .d.ts
# types from the JSDoc), and dist/webpool-offline.html, the page in one file that runs opened
# from disk (esbuild inlines its scripts, styles and the processes wasm).
build_dist() {
  ensure_node_modules
  say "writing dist/webpool/ (the folder to copy) and dist/webpool-offline.html (the page in one file)"
  node tools/dist.mjs
}

test_native() {
  ensure_stable_tools
  ensure_python
  say "native checks and tests (stable)"
  cargo fmt --check
  cargo clippy --all-targets -- -D warnings
  # The docs teach the crate: a broken link in them fails like a failing test.
  RUSTDOCFLAGS='-D warnings' cargo doc --no-deps --lib --quiet
  cargo test
}

build_server() {
  cargo build --release --bin webpool-serve
}

# The JSDoc types of www/ and tests/, in three projects (see tsconfig.json): the page, the
# workers, the tests. Each reports all its errors before the step fails. The workers import
# the generated bindings' .d.ts, so www/pkg must be built.
typecheck() {
  ensure_node_modules
  if [ ! -f www/pkg/webpool.d.ts ] || [ ! -f www/pkg/webpool_processes.d.ts ]; then build_wasm; fi
  say "type checks: tsc $(node_modules/.bin/tsc --version | awk '{print $2}') over www/ and tests/"
  local failed=0 project
  for project in tsconfig.json tsconfig.workers.json tsconfig.tests.json; do
    node_modules/.bin/tsc -p "$project" || { echo "build.sh: tsc -p $project found type errors" >&2; failed=1; }
  done
  return "$failed"
}

# The end-to-end tests, once per engine (tests/e2e/browser.mjs picks it from WEBPOOL_ENGINE):
# Chromium through playwright-core, Firefox through geckodriver, WebKit (WebKitGTK's
# MiniBrowser, under Xvfb) through WebKitWebDriver. Every engine runs even if one fails; the
# closing summary gives each one's counts and wall time.
test_e2e() {
  ensure_chromium
  ensure_firefox
  ensure_geckodriver
  ensure_webkit
  ensure_node_modules
  say "unit tests of the page's pure helpers (node, no browser)"
  node --test tests/unit/*.test.mjs
  typecheck
  build_server
  local engine failed=0 summary=()
  for engine in chromium firefox webkit; do
    e2e_in "$engine" || failed=1
    summary+=("$E2E_COUNTS")
  done
  say "end-to-end tests by engine"
  printf '%s\n' "${summary[@]}"
  # One line for the whole run, in the form CI reads.
  printf '%s\n' "${summary[@]}" | awk '{ p += $2; f += $4; s += $6 } END { printf "e2e: %d passed, %d failed, %d skipped\n", p, f, s }'
  return "$failed"
}

# The end-to-end tests in `engine`, with node's TAP report kept aside for the counts, which it
# leaves in E2E_COUNTS: "engine: N passed, N failed, N skipped, N todo (wall time)".
e2e_in() {
  local engine=$1 tap started status=0
  tap=$(mktemp)
  started=$SECONDS
  say "end-to-end tests in $engine"
  # A test that hangs fails after 5 minutes (the longest test is bounded at 4) rather than
  # holding the run.
  local run=(env WEBPOOL_ENGINE="$engine" node --test --test-concurrency=1 --test-timeout=300000
    --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$tap"
    tests/e2e/)
  if [ "$engine" = webkit ]; then
    # The MiniBrowser has no headless mode: a virtual display of its own.
    xvfb-run -a -s '-screen 0 1920x1200x24' "${run[@]}" || status=$?
  else
    "${run[@]}" || status=$?
  fi
  local seconds=$((SECONDS - started))
  E2E_COUNTS=$(awk -v engine="$engine" -v wall="$((seconds / 60))m $((seconds % 60))s" '
    /^# (pass|fail|cancelled|skipped|todo) [0-9]+$/ { n[$2] = $3 }
    END { printf "%s: %d passed, %d failed, %d skipped, %d todo (%s)", engine, n["pass"], n["fail"] + n["cancelled"], n["skipped"], n["todo"], wall }' "$tap")
  rm -f "$tap"
  return "$status"
}

ensure_firefox() {
  if ! command -v firefox-esr >/dev/null; then
    say "installing Debian's firefox-esr"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null
  fi
}

# WebKitGTK's MiniBrowser (Safari's engine), WebKitWebDriver and Xvfb for its display.
ensure_webkit() {
  if ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null \
    || [ ! -x /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser ]; then
    say "installing Debian's WebKitGTK driver and MiniBrowser, and Xvfb"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq webkit2gtk-driver xvfb >/dev/null
  fi
}

# wasm-pack and geckodriver from crates.io: neither can download its prebuilt binary here.
# geckodriver serves wasm-pack's --firefox and the end-to-end tests in Firefox.
ensure_geckodriver() {
  command -v geckodriver >/dev/null || { say "installing geckodriver (a few minutes)"; cargo install geckodriver; }
}

ensure_wasm_pack() {
  command -v wasm-pack >/dev/null || { say "installing wasm-pack (a few minutes)"; cargo install wasm-pack; }
  ensure_geckodriver
}

test_wasm() {
  ensure_nightly
  ensure_wasm_bindgen
  ensure_wasm_pack
  ensure_chromium
  ensure_firefox
  say "wasm tests through wasm-pack, in headless Chromium and Firefox"
  cargo +"$NIGHTLY" clippy --lib --test wasm --test wasm_many_workers "${WASM_FLAGS[@]}" -- -D warnings
  CARGO_ENCODED_RUSTFLAGS='' cargo +"$NIGHTLY" clippy --lib "${PROCESSES_FLAGS[@]}" -- -D warnings
  # The README's command, as a user types it: the threaded build needs the pinned nightly and
  # std rebuilt with atomics, which these two variables ask of cargo through wasm-pack.
  RUSTUP_TOOLCHAIN="$NIGHTLY" CARGO_UNSTABLE_BUILD_STD=panic_abort,std \
    wasm-pack test --headless --chrome --firefox --release
}

case "${1:-build}" in
  build)
    build_wasm
    build_dist
    ;;
  serve)
    shift
    build_wasm
    build_server
    exec target/release/webpool-serve --dir www "$@"
    ;;
  test)
    test_native
    test_wasm
    build_wasm
    build_dist
    test_e2e
    ;;
  bench)
    # Everything on this machine in one go; each part writes its raw times as JSON into
    # target/bench-report/, and benches/report.mjs makes the report from them. Nothing
    # committed is changed (./build.sh bench-plots copies the plots to docs/).
    bench_started=$(date +%s)
    bench_load=$(cut -d' ' -f1-3 /proc/loadavg)
    build_wasm
    build_server
    ensure_chromium
    ensure_node_modules
    ensure_python
    report=target/bench-report
    rm -rf "$report"
    mkdir -p "$report"
    say "native: map(square) over 1..1000000, and cubes past 64 and 128 bits on 1, 2, 4 workers (criterion)"
    cargo bench --bench map -- --noplot
    say "native: collatz and sleep on 1, 2, 4, 8 workers, map(square) over 10^3 .. 10^7 numbers, pool starts"
    cargo bench --bench native -- "$report/native.json"
    say "CPython's multiprocessing.Pool: Pool(2).map over the same list, then the report's workloads"
    python3 benches/cpython_pool.py --json "$report/cpython.json"
    say "in headless Chromium: map(square) over 1..1000000, cubes past 64 and 128 bits on both backends, pool start times; then the report's workloads beside plain JavaScript and workerpool"
    node benches/browser.mjs "$report/browser.json"
    say "in headless Chromium: from navigation to an enabled Run button and to a first result, cold, and the bytes downloaded"
    node benches/startup.mjs "$report/startup.json"
    say "in headless Chromium: the page's own cost while it shows runs, Q2 on the page and through the API, cancels"
    node benches/page.mjs | tee "$report/page.json"
    say "the report: $report/index.html"
    BENCH_STARTED=$bench_started BENCH_LOAD_START=$bench_load WEBPOOL_NIGHTLY=$NIGHTLY node benches/report.mjs "$report"
    ;;
  bench-plots)
    # The plots the README shows, from the last ./build.sh bench (which never writes docs/).
    report=target/bench-report
    for plot in scaling size start; do
      if [ ! -f "$report/$plot.svg" ]; then
        echo "build.sh: no $report/$plot.svg: run ./build.sh bench first" >&2
        exit 1
      fi
    done
    for plot in scaling size start; do cp "$report/$plot.svg" "docs/bench-$plot.svg"; done
    say "copied $report/{scaling,size,start}.svg to docs/bench-{scaling,size,start}.svg (from the run of $(date -r "$report/figures.json" '+%F %R'))"
    ;;
  screenshots)
    build_wasm
    build_server
    ensure_chromium
    ensure_node_modules
    say "regenerating docs/run.png and docs/lessons.png"
    WEBPOOL_SCREENSHOTS=1 node --test --test-concurrency=1 --test-name-pattern=screenshot tests/e2e/
    ;;
  soak)
    build_wasm
    build_server
    ensure_chromium
    ensure_node_modules
    say "soak: many maps, lessons and resizes on each backend; the figures must stay flat"
    node benches/soak.mjs
    ;;
  fuzz)
    ensure_nightly
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
    for target in parse_numbers wire_decode; do
      say "fuzzing $target for ${2:-60} s"
      (cd fuzz && cargo +"$NIGHTLY" fuzz run "$target" -- -max_total_time="${2:-60}" -max_len=4096)
    done
    ;;
  cli)
    shift
    cargo run --release --quiet --bin webpool -- "$@"
    ;;
  *)
    echo "usage: ./build.sh [build|serve [--port N]|test|bench|bench-plots|soak|screenshots|fuzz [seconds]|cli ARGS]" >&2
    exit 2
    ;;
esac
