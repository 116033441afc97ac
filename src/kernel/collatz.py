"""Python's reference for webpool's `collatz` kernel (collatz.rs, beside this file).

tests/collatz_cpython.rs runs this file with numbers on stdin, one line out per number:
the steps, or the exception Python raises, as `TypeName: message`. Run it by hand too:

    echo 27 837799 0 2.5 | python3 src/kernel/collatz.py
"""

import operator
import re
import sys


def collatz_steps(n):
    """How many steps of n -> n // 2 (n even) or 3 * n + 1 (n odd) take n down to 1.

    Exact for ints of any size, as Python's ints are. A float raises TypeError, even 4.0,
    as range() does; zero and negative ints raise ValueError (they never reach 1).
    """
    n = operator.index(n)  # TypeError: 'float' object cannot be interpreted as an integer
    if n < 1:
        raise ValueError("collatz_steps() is defined for positive integers only")
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def main():
    integer = re.compile(r"[+-]?[0-9]+")
    for token in sys.stdin.read().split():
        x = int(token) if integer.fullmatch(token) else float(token)
        try:
            print(collatz_steps(x))
        except (TypeError, ValueError) as e:
            print(f"{type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
