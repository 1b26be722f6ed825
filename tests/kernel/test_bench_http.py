"""The benchmark's HTTP load generator: every request answered and counted, kept-alive or reconnected."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from yingshang.kernel.bench.http import _parse, get_request, run_load


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_GET(self):
        self.seen.append(self.path)
        status = 404 if self.path.startswith("/missing") else 200
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if "close" in self.path:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("path", ["/keep", "/close"])
def test_every_request_is_answered_whether_the_server_keeps_or_closes_the_connection(server, path):
    port = server.server_address[1]
    result = run_load("127.0.0.1", port, [get_request(path)], 50, connections=4)
    assert len(result.latencies) == 50 and result.statuses == {200: 50} and result.errors == 0
    assert len(_Handler.seen) == 50 and result.seconds > 0


def test_responses_other_than_200_are_counted_as_errors(server):
    port = server.server_address[1]
    requests = [get_request("/keep"), get_request("/missing")]
    result = run_load("127.0.0.1", port, requests, 10, connections=2)
    assert result.statuses == {200: 5, 404: 5} and result.errors == 5


def test_a_response_is_complete_only_with_its_whole_body():
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
    assert _parse(head + b"ab", closed=False) is None
    assert _parse(head + b"abcde", closed=False) == (200, True)
    assert _parse(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody", closed=True) == (200, False)
    with pytest.raises(ConnectionError):
        _parse(head + b"ab", closed=True)
    with pytest.raises(ValueError, match="chunked"):
        _parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", closed=False)


def test_a_free_port_can_be_bound_and_a_process_cpu_time_is_read():
    import os
    import socket

    from yingshang.kernel.bench.http import free_port, server_cpu_seconds

    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
    sum(i * i for i in range(200_000))  # spend a little CPU
    assert server_cpu_seconds(os.getpid()) > 0
