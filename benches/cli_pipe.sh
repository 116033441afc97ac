#!/usr/bin/env bash
# The whole command as a shell runs it: `webpool map square 1..1000000` printing every
# result (13.5 MB) into /dev/null and through a pipe, next to CPython printing the same
# list. Process start, parsing, the map, formatting and writing are all in the figure.
#
#   cargo build --release --bin webpool && benches/cli_pipe.sh
#
# RUNS (default 11) runs of each; prints the median and the range in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${WEBPOOL:-target/release/webpool}
runs=${RUNS:-11}
python=${PYTHON:-python3}
[[ -x $bin ]] || { echo "no $bin: run cargo build --release --bin webpool" >&2; exit 1; }

webpool_null() { "$bin" map square 1..1000000 --workers 2 >/dev/null; }
webpool_pipe() { "$bin" map square 1..1000000 --workers 2 | wc -c >/dev/null; }
python_null() { "$python" -c 'print([x*x for x in range(1, 1000001)])' >/dev/null; }
python_pipe() { "$python" -c 'print([x*x for x in range(1, 1000001)])' | wc -c >/dev/null; }

# The comparison only means something if both print the same text.
if ! cmp -s <("$bin" map square 1..1000000 --workers 2) \
    <("$python" -c 'print([x*x for x in range(1, 1000001)])'); then
    echo "webpool and $python print different lists" >&2
    exit 1
fi

# $EPOCHREALTIME (microseconds, no fork) so that timing adds nothing to what it times.
measure() {
    local name=$1 start end
    local -a times=()
    "$name" # warm the page cache and the binary
    for ((i = 0; i < runs; i++)); do
        start=${EPOCHREALTIME/[.,]/}
        "$name"
        end=${EPOCHREALTIME/[.,]/}
        times+=($((end - start)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v name="$name" '
        { t[NR] = $1 / 1000 }
        END { printf "%-14s median %7.1f ms  (min %.1f, max %.1f, %d runs)\n",
                     name, t[int((NR + 1) / 2)], t[1], t[NR], NR }'
}

echo "square 1..1000000, every result printed ($(nproc) cores)"
for name in webpool_null webpool_pipe python_null python_pipe; do
    measure "$name"
done
