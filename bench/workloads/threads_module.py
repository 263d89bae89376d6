# Bench workload "4 threads", module level: threads started and joined at module level, each a loop.
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import sys
import threading
import time

SIZE = {"full": 40_000, "quick": 2_000}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()


def worker(k, results):
    total = 0
    for i in range(SIZE):
        total += i * k
    results[k] = total


results = [0] * 4
threads = [threading.Thread(target=worker, args=(k, results), name="worker-%d" % k) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("checksum", sum(results))
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
