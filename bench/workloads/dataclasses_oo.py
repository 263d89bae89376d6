# Bench workload "dataclasses OO": a small order system. Customers place orders of products from a
# warehouse; orders are priced with discounts, picked from stock lines and shipped, day after day.
# Prints a checksum, then on stderr the end marker bench/run.mjs reads: wall clock and run time, ns.
from dataclasses import dataclass, field
import sys
import time

DAYS, ORDERS = {"full": (3, 30), "quick": (1, 10)}[sys.argv[1] if len(sys.argv) > 1 else "full"]
START = time.perf_counter_ns()


@dataclass
class Product:
    sku: str
    price_cents: int
    weight_g: int


@dataclass
class StockLine:
    product: Product
    on_hand: int
    reserved: int = 0

    def available(self):
        return self.on_hand - self.reserved

    def reserve(self, qty):
        if self.available() < qty:
            return False
        self.reserved += qty
        return True

    def ship(self, qty):
        self.reserved -= qty
        self.on_hand -= qty


@dataclass
class OrderLine:
    product: Product
    qty: int

    def total_cents(self):
        return self.product.price_cents * self.qty


@dataclass
class Order:
    number: int
    customer: "Customer"
    lines: list = field(default_factory=list)
    status: str = "open"

    def add(self, product, qty):
        self.lines.append(OrderLine(product, qty))

    def subtotal_cents(self):
        return sum(line.total_cents() for line in self.lines)

    def weight_g(self):
        return sum(line.product.weight_g * line.qty for line in self.lines)

    def total_cents(self):
        subtotal = self.subtotal_cents()
        return subtotal - subtotal * self.customer.discount_percent() // 100 + shipping_cents(self.weight_g())


@dataclass
class Customer:
    name: str
    orders: list = field(default_factory=list)

    def discount_percent(self):
        shipped = sum(1 for order in self.orders if order.status == "shipped")
        return min(shipped, 10)


@dataclass
class Warehouse:
    stock: dict
    shipped: list = field(default_factory=list)

    def place(self, order):
        reserved = []
        for line in order.lines:
            stock_line = self.stock[line.product.sku]
            if not stock_line.reserve(line.qty):
                for done in reserved:
                    self.stock[done.product.sku].reserved -= done.qty
                order.status = "backordered"
                return False
            reserved.append(line)
        order.status = "reserved"
        return True

    def ship(self, order):
        for line in order.lines:
            self.stock[line.product.sku].ship(line.qty)
        order.status = "shipped"
        self.shipped.append(order)

    def restock(self, qty):
        for stock_line in self.stock.values():
            if stock_line.available() < qty:
                stock_line.on_hand += qty


def shipping_cents(weight_g):
    return 500 if weight_g < 2000 else 500 + (weight_g - 2000) // 10


def simulate(days, orders_per_day):
    products = [Product("P%03d" % i, 199 + i * 37 % 900, 50 + i * 13 % 700) for i in range(40)]
    warehouse = Warehouse({p.sku: StockLine(p, 6) for p in products})
    customers = [Customer("customer %d" % i) for i in range(25)]
    number = 0
    revenue = 0
    for day in range(days):
        for k in range(orders_per_day):
            number += 1
            customer = customers[(day * 7 + k) % len(customers)]
            order = Order(number, customer)
            for j in range(1 + number % 4):
                order.add(products[(number * 11 + j * 5) % len(products)], 1 + (number + j) % 3)
            customer.orders.append(order)
            if warehouse.place(order):
                revenue += order.total_cents()
                warehouse.ship(order)
        warehouse.restock(10)
    backordered = sum(1 for c in customers for o in c.orders if o.status == "backordered")
    return len(warehouse.shipped), backordered, revenue


print("checksum", simulate(DAYS, ORDERS))
sys.stderr.write("bench-end %d %d\n" % (time.time_ns(), time.perf_counter_ns() - START))
