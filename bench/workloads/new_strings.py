# Bench workload "strings" (argv: size, short | long, same | equal | new): s is bound each iteration to
# the same str object, to a new one equal to the last, or to a distinct one (20 chars or 10 KB).
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import sys
import time

SIZE, LENGTH, KIND = (sys.argv[1:] + ["full", "short", "new"][len(sys.argv) - 1:])[:3]
# Fewer iterations for 10 KB strings: each new one is recorded as 4 KB (the max_string cap).
ITERATIONS = {("full", "short"): 100_000, ("full", "long"): 10_000, ("quick", "short"): 5_000, ("quick", "long"): 500}[SIZE, LENGTH]
HEAD = {"short": "order-", "long": ("lorem ipsum dolor sit amet, " * 400)[:10_226]}[LENGTH]  # + 14 digits
STEP = {"same": None, "equal": 0, "new": 1}[KIND]
START = time.perf_counter_ns()


def main(n, head, step):
    same = head + "%014d" % 0
    total = 0
    for i in range(n):
        s = same if step is None else head + "%014d" % (i * step)  # the same line whatever the kind
        total += len(s)
    return total


print("checksum", main(ITERATIONS, HEAD, STEP))
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
