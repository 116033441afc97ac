"""CPython's multiprocessing.Pool(2).map(square, 1..1000000): the figure webpool compares with.

Reports the best of several runs, per item, like the criterion benchmark beside it.
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
    best = min(times)
    median = sorted(times)[len(times) // 2]
    print(f"cpython Pool(2).map(square, 1..1000000): best {best * 1e3:.1f} ms, median {median * 1e3:.1f} ms "
          f"({best * 1e9 / len(numbers):.1f} ns per item)")


if __name__ == "__main__":
    main()
