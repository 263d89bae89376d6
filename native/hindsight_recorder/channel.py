"""Frames batches between the debuggee and the writer process over a pipe (marshal, length-prefixed)."""
import marshal
import os
import struct

_HEADER = struct.Struct("<I")


def sender(fd):
    """A function that ships one batch; it blocks while the writer catches up (back-pressure)."""
    def send(batch):
        data = marshal.dumps(batch)
        _write_all(fd, _HEADER.pack(len(data)) + data)  # one frame, one write loop: never torn
    return send


def receive(fd):
    """Yields batches until the sender closes the pipe; a torn last frame is dropped."""
    while True:
        header = _read_exactly(fd, _HEADER.size)
        if header is None:
            return
        data = _read_exactly(fd, _HEADER.unpack(header)[0])
        if data is None:
            return
        yield marshal.loads(data)


def _write_all(fd, data):
    """Writes every byte even if a signal handler raises meanwhile (a torn frame would corrupt
    the stream); the handler's exception is raised once the frame is whole."""
    view = memoryview(data)
    interrupted = None
    while view:
        try:
            view = view[os.write(fd, view):]
        except (KeyboardInterrupt, SystemExit) as e:
            interrupted = e
    if interrupted is not None:
        raise interrupted


def _read_exactly(fd, n):
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)
