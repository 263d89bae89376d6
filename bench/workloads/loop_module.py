# Bench workload "tight loop", module level: `total += i` over a module-level range (globals).
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import sys
import time

SIZE = {"full": 1_000_000, "quick": 20_000}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()

total = 0
for i in range(SIZE):
    total += i
print("checksum", total)
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
