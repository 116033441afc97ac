"""CPython's multiprocessing.Pool(2).map(square, ...): the figures webpool compares with.

Reports the best of several runs, per item, like the criterion benchmark beside it; then the
cost of a task, as the browser benchmark measures it for threads and processes: 100000 tiny
tasks with chunksize 1 and with the default chunksize (median of 3).
"""
import multiprocessing
import time


def square(number):
    return number ** 2


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


if __name__ == "__main__":
    main()
