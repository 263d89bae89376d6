# Bench workload "deep recursion", function level: a depth-900 recursion, repeated from main().
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import sys
import time

SIZE = {"full": 60, "quick": 5}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()
DEPTH = 900


def down(n):
    if n == 0:
        return 0
    return down(n - 1) + n


def main(repeats):
    total = 0
    for r in range(repeats):
        total += down(DEPTH - r % 3)
    return total


print("checksum", main(SIZE))
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
