"""A small program with a bug to find by stepping back: one invoice total comes out wrong."""


class Invoice:
    def __init__(self, customer, lines):
        self.customer = customer
        self.lines = lines
        self.total = 0.0


def line_total(quantity, unit_price, discount):
    gross = quantity * unit_price
    return gross - gross * discount


def apply_loyalty(invoice, years):
    if years > 5:
        invoice.total *= 0.9
    elif years > 2:
        invoice.total -= 5  # a flat bonus; wrong for small invoices


def process(invoice, years):
    for quantity, unit_price, discount in invoice.lines:
        invoice.total += line_total(quantity, unit_price, discount)
    apply_loyalty(invoice, years)
    if invoice.total < 0:
        raise ValueError(f"negative total for {invoice.customer}: {invoice.total:.2f}")
    return invoice.total


def main():
    book = [
        (Invoice("ada", [(2, 10.0, 0.0), (1, 99.0, 0.1)]), 7),
        (Invoice("bob", [(3, 1.5, 0.0)]), 3),
        (Invoice("cyd", [(10, 4.0, 0.25)]), 1),
    ]
    for invoice, years in book:
        try:
            print(f"{invoice.customer}: {process(invoice, years):.2f}")
        except ValueError as error:
            print(f"skipped: {error}")


if __name__ == "__main__":
    main()
