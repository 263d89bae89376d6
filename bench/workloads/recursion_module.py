# Bench workload "deep recursion", module level: a depth-900 recursion, repeated from a module loop.
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


total = 0
for r in range(SIZE):
    total += down(DEPTH - r % 3)
print("checksum", total)
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
