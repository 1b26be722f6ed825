"""A small HTTP/1.1 load generator for `yingshang bench`: several connections driven by one thread.

A thread per connection (http.client) spent ~0.35 ms of CPU per request on the GIL and on thread
switches — on the same cores as the server it measures, so the load generator, not the server, set
the pace. Here one thread keeps `connections` requests in flight with a selector, as wrk does: it
sends a request on each connection, reads whichever response arrives, records its latency and
status, and sends the next. A connection the server closes is reopened (gunicorn's synchronous
worker closes after every response). Responses must carry Content-Length or end with the connection.
"""

from __future__ import annotations

import os
import selectors
import socket
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, in completion order
    statuses: dict[int, int] = field(default_factory=dict)  # status -> count
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200)


class _Connection:
    __slots__ = ("buffer", "sock", "started")

    def __init__(self):
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.started = 0.0


def _parse(buffer: bytes, closed: bool) -> tuple[int, bool] | None:
    """(status, keep the connection) once the response in `buffer` is complete; None while it is not."""
    head, sep, body = buffer.partition(b"\r\n\r\n")
    if not sep:
        if closed:
            raise ConnectionError("the server closed the connection before a complete response")
        return None
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length, keep = None, lines[0].startswith(b"HTTP/1.1")
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            keep = value == b"keep-alive" or (keep and value != b"close")
        elif name == b"transfer-encoding" and value != b"identity":
            raise ValueError("chunked responses are not supported by this load generator")
    if length is None:
        return (status, False) if closed else None  # the body ends with the connection
    if len(body) < length:
        if closed:
            raise ConnectionError("the server closed the connection in the middle of a response")
        return None
    return status, keep and not closed


def run_load(host: str, port: int, requests: list[bytes], total: int, *, connections: int = 8,
             timeout: float = 30.0) -> LoadResult:
    """Send `total` requests (cycling through `requests`, complete HTTP/1.1 messages) over
    `connections` concurrent connections; every request waits for its response before the next is
    sent on that connection."""
    selector = selectors.DefaultSelector()
    result = LoadResult()
    sent = done = 0

    def send(conn: _Connection) -> None:
        nonlocal sent
        if conn.sock is None:
            conn.sock = socket.create_connection((host, port), timeout=timeout)
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            selector.register(conn.sock, selectors.EVENT_READ, conn)
        conn.buffer, conn.started = b"", time.perf_counter()
        conn.sock.sendall(requests[sent % len(requests)])
        sent += 1

    def drop(conn: _Connection) -> None:
        if conn.sock is not None:
            selector.unregister(conn.sock)
            conn.sock.close()
            conn.sock = None

    pool = [_Connection() for _ in range(min(connections, total))]
    start = time.perf_counter()
    try:
        for conn in pool:
            send(conn)
        while done < total:
            events = selector.select(timeout)
            if not events:
                raise TimeoutError(f"no response within {timeout:.0f} s")
            for key, _ in events:
                conn = key.data
                data = conn.sock.recv(65536)
                conn.buffer += data
                parsed = _parse(conn.buffer, closed=not data)
                if parsed is None:
                    continue
                status, keep = parsed
                result.latencies.append(time.perf_counter() - conn.started)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                done += 1
                if not keep:
                    drop(conn)
                if sent < total:
                    send(conn)
                elif conn.sock is not None:
                    drop(conn)
    finally:
        for conn in pool:
            drop(conn)
        selector.close()
    result.seconds = time.perf_counter() - start
    return result


def get_request(path: str, host: str = "127.0.0.1", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for a server the benchmark starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) used so far by a server process and its children, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == root_pid or int(fields[1]) == root_pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total
