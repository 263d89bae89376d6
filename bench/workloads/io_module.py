# Bench workload "I/O-bound", module level: writes a 64 KiB block to a temp file and reads it back.
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import os
import sys
import tempfile
import time

SIZE = {"full": 40_000, "quick": 1_000}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()
BLOCK = b"0123456789abcde\n" * 4096

total = 0
with tempfile.TemporaryFile() as f:
    fd = f.fileno()
    for i in range(SIZE):
        os.pwrite(fd, BLOCK, 0)
        data = os.pread(fd, len(BLOCK), 0)
        total += data[i % len(data)]
print("checksum", total)
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
