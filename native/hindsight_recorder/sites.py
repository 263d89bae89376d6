"""Which lines may change a value in place, read from the source's syntax tree: the observer reads
a frame's containers and objects again only after those and after recorded code ran."""
from . import pinned

# A container or object changes where code stores into it (`self.items[k] = v`, `del d[k]`,
# `total += [x]`) or a call changes it (`seen.add(x)`, `shuffle(deck)`); recorded code records its
# own changes. So an event costs what its line can change, not what the frame holds.

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)
ast = pinned.private_copy("ast")  # pure Python walking: the program's builtins must not run in it

# Builtins that change none of their arguments (what they call of the program's is recorded code).
READ_ONLY_BUILTINS = frozenset(("abs", "all", "any", "bool", "callable", "chr", "dict", "divmod", "enumerate",
                                "float", "format", "frozenset", "hash", "id", "int", "isinstance",
                                "issubclass", "len", "list", "max", "min", "ord", "print", "range", "repr",
                                "reversed", "round", "set", "sorted", "str", "sum", "tuple", "type", "zip"))


def changing_lines(source):
    """The lines of a module's source (str, or bytes with its coding cookie) that may change a value
    in place; None if it does not parse (then any line may)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    lines = set()
    for stmt, nodes in _statements(tree):
        if any(_changes(node) for node in [stmt] + nodes):
            lines.update(_lines(stmt, nodes))
    return frozenset(lines)


def _statements(tree):
    """(statement, its own nodes): the expressions a statement evaluates itself, without the
    statements nested in its body (each of those is a statement of its own)."""
    pending = [tree]
    while pending:
        node = pending.pop()
        own = []
        for child in ast.iter_child_nodes(node):
            (pending if isinstance(child, ast.stmt) else own).append(child)
        if isinstance(node, ast.stmt):
            nodes = []
            while own:
                n = own.pop()
                nodes.append(n)
                for child in ast.iter_child_nodes(n):
                    (pending if isinstance(child, ast.stmt) else own).append(child)
            yield node, nodes


def _lines(stmt, nodes):
    """The lines whose events may follow a change made by stmt's own nodes: all its lines if it is
    a simple statement, its header's (decorators to last own node) if it has a body."""
    if not any(isinstance(v, list) and v and isinstance(v[0], ast.stmt) for _, v in ast.iter_fields(stmt)):
        return range(stmt.lineno, stmt.end_lineno + 1)
    first = min([stmt.lineno] + [n.lineno for n in nodes if getattr(n, "lineno", None)])
    last = max([stmt.lineno] + [n.end_lineno for n in nodes if getattr(n, "end_lineno", None)])
    return range(first, last + 1)


def _changes(node):
    """Whether node may change a value in place: a store or delete into an attribute or subscript,
    an augmented assignment (in place for a list), a call of anything but a read-only builtin, a
    `with` (its context manager's enter and exit: a lock's state)."""
    if isinstance(node, ast.Call):
        return not (isinstance(node.func, ast.Name) and node.func.id in READ_ONLY_BUILTINS)
    if isinstance(node, (ast.AugAssign, ast.With, ast.AsyncWith)):
        return True
    if isinstance(node, (ast.Attribute, ast.Subscript)):
        return not isinstance(node.ctx, ast.Load)
    return False
