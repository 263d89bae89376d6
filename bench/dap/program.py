# Replayed by the DAP benchmark (bench/dap.mjs): main() loops over update() -> scale(), mutating a dict
# and a list, and calls checkpoint() every PERIOD iterations (the breakpoint reverse-continue goes to).
# Recorded with --max-events, so the trace stops there (status 'truncated').
import sys

ITERATIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
PERIOD = int(sys.argv[2]) if len(sys.argv) > 2 else 100


def scale(x, factor):
    product = x * factor
    return product


def update(state, i):
    value = scale(i, 3)
    state["total"] += value
    state["recent"].append(value % 7)
    if len(state["recent"]) > 8:
        state["recent"].pop(0)
    return value


def checkpoint(state, i):
    state["checkpoints"] += 1  # mark: checkpoint
    return i


def main(n, period):
    state = {"total": 0, "recent": [], "checkpoints": 0}
    last = 0
    for i in range(n):
        last = update(state, i)
        if i % period == 0:
            checkpoint(state, i)
    return state["total"] + last


print("checksum", main(ITERATIONS, PERIOD))
