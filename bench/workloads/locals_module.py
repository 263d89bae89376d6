# Bench workload "many locals", module level: 30 globals, each updated on its own line of a loop.
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import sys
import time

SIZE = {"full": 5_000, "quick": 200}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()

v00 = v01 = v02 = v03 = v04 = v05 = v06 = v07 = v08 = v09 = v10 = v11 = v12 = v13 = v14 = 0
v15 = v16 = v17 = v18 = v19 = v20 = v21 = v22 = v23 = v24 = v25 = v26 = v27 = v28 = v29 = 1
for i in range(SIZE):
    v00 = (v00 + i * 1) & 0xFFFF
    v01 = (v01 + v00 * 2) & 0xFFFF
    v02 = (v02 + v01 * 3) & 0xFFFF
    v03 = (v03 + v02 * 4) & 0xFFFF
    v04 = (v04 + v03 * 5) & 0xFFFF
    v05 = (v05 + v04 * 6) & 0xFFFF
    v06 = (v06 + v05 * 7) & 0xFFFF
    v07 = (v07 + v06 * 8) & 0xFFFF
    v08 = (v08 + v07 * 9) & 0xFFFF
    v09 = (v09 + v08 * 10) & 0xFFFF
    v10 = (v10 + v09 * 11) & 0xFFFF
    v11 = (v11 + v10 * 12) & 0xFFFF
    v12 = (v12 + v11 * 13) & 0xFFFF
    v13 = (v13 + v12 * 14) & 0xFFFF
    v14 = (v14 + v13 * 15) & 0xFFFF
    v15 = (v15 + v14 * 16) & 0xFFFF
    v16 = (v16 + v15 * 17) & 0xFFFF
    v17 = (v17 + v16 * 18) & 0xFFFF
    v18 = (v18 + v17 * 19) & 0xFFFF
    v19 = (v19 + v18 * 20) & 0xFFFF
    v20 = (v20 + v19 * 21) & 0xFFFF
    v21 = (v21 + v20 * 22) & 0xFFFF
    v22 = (v22 + v21 * 23) & 0xFFFF
    v23 = (v23 + v22 * 24) & 0xFFFF
    v24 = (v24 + v23 * 25) & 0xFFFF
    v25 = (v25 + v24 * 26) & 0xFFFF
    v26 = (v26 + v25 * 27) & 0xFFFF
    v27 = (v27 + v26 * 28) & 0xFFFF
    v28 = (v28 + v27 * 29) & 0xFFFF
    v29 = (v29 + v28 * 30) & 0xFFFF
print("checksum", sum((v00, v01, v02, v03, v04, v05, v06, v07, v08, v09, v10, v11, v12, v13, v14,
                       v15, v16, v17, v18, v19, v20, v21, v22, v23, v24, v25, v26, v27, v28, v29)))
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
