# Bench workload "tight loop", function level: `total += i` over a range, inside main() (fast locals).
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import sys
import time

SIZE = {"full": 1_000_000, "quick": 20_000}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()


def main(n):
    total = 0
    for i in range(n):
        total += i
    return total


print("checksum", main(SIZE))
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
