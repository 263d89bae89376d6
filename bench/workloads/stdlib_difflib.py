# Bench workload "difflib (stdlib)": CPython's pure-Python difflib (code nobody here wrote, recorded with
# --include) diffs two generated texts: unified_diff, then SequenceMatcher.ratio of each changed line.
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
import difflib
import sys
import time

LINES = {"full": 200, "quick": 15}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()
WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def text(n, edit):
    lines = []
    for i in range(n):
        words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(3 + i % 5)]
        if edit and i % 9 == 0:
            words.reverse()
        if edit and i % 31 == 0:
            lines.append("inserted line %d\n" % i)
        if not (edit and i % 47 == 0):
            lines.append("%d: %s\n" % (i % 100, " ".join(words)))
    return lines


old, new = text(LINES, False), text(LINES, True)
diff = list(difflib.unified_diff(old, new, "old.txt", "new.txt", n=2))
removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
ratio = sum(difflib.SequenceMatcher(None, a, b).ratio() for a, b in zip(removed, added))
print("checksum", len(diff), len(removed), len(added), round(ratio, 6))
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
