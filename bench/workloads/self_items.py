# Bench workload "self holds N items" (argv: size, N): the same sales whatever N, each updating one of
# the N small dicts in self.items, to show whether recording cost per event grows with the data held.
# Prints a checksum, then on stderr the end marker bench/run.mjs reads.
import json
import sys
import time

SALES = {"full": 2_000, "quick": 100}[sys.argv[1] if len(sys.argv) > 1 else "full"]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
# Parsed by C code, so building the stock records no events: every N records the same events.
ITEM = '"sku-{0:06d}": {{"name": "item {0}", "qty": 1000000, "sold": 0}}'


class Stock:
    def __init__(self, n):
        self.items = json.loads("{%s}" % ", ".join(map(ITEM.format, range(n))))
        self.skus = list(self.items)
        self.revenue = 0

    def sell(self, sku, price):
        item = self.items[sku]
        if item["qty"] > 0:
            item["qty"] -= 1
            item["sold"] += 1
            self.revenue += price

    def run(self, sales):
        for i in range(sales):
            self.sell(self.skus[i * 7919 % len(self.skus)], 3 + i % 5)
        return self.revenue, self.items[self.skus[0]]["sold"]


stock = Stock(N)
START = time.perf_counter_ns()  # after the build (0.25 s at N = 100,000), so run time is the sales alone
print("checksum", N, stock.run(SALES))
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
