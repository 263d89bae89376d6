# Bench workload "call-heavy", function level: a 3-level call chain driven from a loop in main().
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import sys
import time

SIZE = {"full": 50_000, "quick": 2_000}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()


def leaf(x):
    return x * 2 + 1


def middle(x):
    y = leaf(x)
    return y - x


def outer(x):
    z = middle(x)
    return z + 1


def main(n):
    total = 0
    for i in range(n):
        total += outer(i)
    return total


print("checksum", main(SIZE))
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
