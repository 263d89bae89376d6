# Bench "startup" row: an empty program, to measure the fixed cost of starting (and recording) Python.
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import sys
import time

START = time.perf_counter_ns()
print("checksum", 0)
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
