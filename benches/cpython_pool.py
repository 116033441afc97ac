"""CPython's multiprocessing.Pool(2).map(square, ...): the figures webpool compares with.

Reports the best of several runs, per item, like the criterion benchmark beside it; then the
cost of a task, as the browser benchmark measures it for threads and processes: 100000 tiny
tasks with chunksize 1 and with the default chunksize (median of 3).

With `--json PATH` it also measures what the benchmark report (benches/report.mjs) sets beside
webpool's figures, and writes every raw time there, in milliseconds:
- scaling: Pool(w).map(collatz_steps, ...) over the 128 numbers 10**999 + 1 .. 10**999 + 128,
  with the Python reference function (src/kernel/collatz.py), and Pool(w).map of 16 numbers
  that each sleep 50 ms, for w = 1, 2, 4, 8 (the worker counts taking turns);
- size: Pool(2).map(square, range(1, n + 1)) for n = 10**3 .. 10**7;
- start: Pool(w) and its first result, map(square, [1]).
"""
import json
import multiprocessing
import os
import sys
import time

# The Python reference of webpool's collatz kernel, importable in the pool's workers too.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "kernel"))
from collatz import collatz_steps  # noqa: E402

WORKERS = (1, 2, 4, 8)
COLLATZ_ITEMS = 128
COLLATZ_RUNS = 3
SLEEP_ITEMS = 16
SLEEP_MS = 50
SLEEP_RUNS = 3
SIZES = (10**3, 10**4, 10**5, 10**6, 10**7)
START_RUNS = 5


def square(number):
    return number ** 2


def sleepy_square(number):
    time.sleep(SLEEP_MS / 1000)
    return number ** 2


def timed_ms(f, *args, **kwargs):
    start = time.perf_counter()
    value = f(*args, **kwargs)
    return (time.perf_counter() - start) * 1e3, value


def scaling(pools, f, numbers, runs):
    """Times pool.map(f, numbers) on each pool, the pools taking turns, run after run."""
    times = {w: [] for w in pools}
    for _ in range(runs):
        for w, pool in pools.items():
            ms, results = timed_ms(pool.map, f, numbers)
            assert len(results) == len(numbers)
            times[w].append(ms)
    return [{"workers": w, "ms": ms} for w, ms in times.items()]


def report(path, square_1e6_ms):
    """The figures of the benchmark report, as JSON in `path`."""
    figures = {"source": "benches/cpython_pool.py", "python": sys.version.split()[0],
               "implementation": sys.implementation.name}
    pools = {w: multiprocessing.Pool(processes=w) for w in WORKERS}
    try:
        for pool in pools.values():
            pool.map(square, range(64))  # the workers are up and have imported what they need
        big = 10**999
        collatz = [big + k for k in range(1, COLLATZ_ITEMS + 1)]
        print(f"cpython: Pool(w).map(collatz_steps, {COLLATZ_ITEMS} numbers of 1000 digits) and sleeps, "
              f"w = {', '.join(map(str, WORKERS))}", file=sys.stderr)
        figures["scaling"] = {
            "collatz": {"items": COLLATZ_ITEMS, "runs": COLLATZ_RUNS,
                        "points": scaling(pools, collatz_steps, collatz, COLLATZ_RUNS)},
            "sleep": {"items": SLEEP_ITEMS, "sleepMs": SLEEP_MS, "runs": SLEEP_RUNS,
                      "points": scaling(pools, sleepy_square, list(range(1, SLEEP_ITEMS + 1)), SLEEP_RUNS)},
        }
        print("cpython: Pool(2).map(square, ...) over 10**3 .. 10**7 numbers", file=sys.stderr)
        sizes = []
        for n in SIZES:
            if n == 10**6 and square_1e6_ms:
                sizes.append({"items": n, "ms": square_1e6_ms})  # measured above, the same map
                continue
            numbers = list(range(1, n + 1))
            pools[2].map(square, numbers)  # warm up
            runs = 7 if n <= 10**5 else 3
            sizes.append({"items": n, "ms": [timed_ms(pools[2].map, square, numbers)[0] for _ in range(runs)]})
            del numbers
        figures["size"] = {"square": sizes}
    finally:
        for pool in pools.values():
            pool.terminate()
            pool.join()
    print("cpython: Pool(w) and its first result", file=sys.stderr)
    starts = []
    for w in WORKERS:
        times = []
        for _ in range(START_RUNS):
            start = time.perf_counter()
            pool = multiprocessing.Pool(processes=w)
            pool.map(square, [1])
            times.append((time.perf_counter() - start) * 1e3)
            pool.terminate()
            pool.join()
        starts.append({"workers": w, "ms": times})
    figures["start"] = starts
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as out:
        json.dump(figures, out, indent=1)
    print(f"cpython: figures in {path}", file=sys.stderr)


def main():
    numbers = list(range(1, 1_000_001))
    with multiprocessing.Pool(processes=2) as pool:
        pool.map(square, numbers)  # warm up the workers
        times = []
        for _ in range(7):
            start = time.perf_counter()
            pool.map(square, numbers)
            times.append(time.perf_counter() - start)
        tiny = list(range(1, 100_001))
        per_task = {}
        for chunksize, tasks in ((1, len(tiny)), (None, 8)):
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                pool.map(square, tiny, chunksize=chunksize)
                runs.append(time.perf_counter() - start)
            per_task[chunksize] = (sorted(runs)[1], tasks)
    best = min(times)
    median = sorted(times)[len(times) // 2]
    print(f"cpython Pool(2).map(square, 1..1000000): best {best * 1e3:.1f} ms, median {median * 1e3:.1f} ms "
          f"({best * 1e9 / len(numbers):.1f} ns per item)")
    for chunksize, (seconds, tasks) in per_task.items():
        print(f"cpython Pool(2).map(square, 1..100000, chunksize={chunksize}): median {seconds * 1e3:.1f} ms, "
              f"{tasks} tasks, {seconds * 1e6 / tasks:.1f} us per task")
    if "--json" in sys.argv:
        report(sys.argv[sys.argv.index("--json") + 1], [t * 1e3 for t in times])


if __name__ == "__main__":
    main()
