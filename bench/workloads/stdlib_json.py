# Bench workload "json decoder (stdlib)": CPython's pure-Python decoder (py_make_scanner, py_scanstring;
# code nobody here wrote, recorded with --include) parses a generated document.
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import json
import json.decoder
import json.scanner
import sys
import time

RECORDS = {"full": 120, "quick": 20}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()
# Made by the C encoder: only the decoding is Python code.
DOCUMENT = json.dumps([{"id": i, "name": "user %d" % i, "score": i * 0.25, "active": i % 3 == 0,
                        "tags": ["t%d" % (i % 7), "g%d" % (i % 5)], "address": {"zip": "%05d" % i, "city": None}}
                       for i in range(RECORDS)])

decoder = json.JSONDecoder()
decoder.parse_string = json.decoder.py_scanstring
decoder.scan_once = json.scanner.py_make_scanner(decoder)
records = decoder.decode(DOCUMENT)
print("checksum", len(records), sum(r["id"] for r in records if r["active"]), records[-1]["address"]["zip"])
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
