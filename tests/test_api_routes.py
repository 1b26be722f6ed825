"""No two endpoints of the API answer the same method on the same path (the second would never be reached:
django-ninja dispatches to the first operation that matches)."""

import collections

from yingshang.api import api


def _operations(prefix: str, router):
    for path, view in router.path_operations.items():
        for operation in view.operations:
            for method in operation.methods:
                yield method, (prefix + path).replace("//", "/")
    for child_prefix, child, *_rest in router._routers:
        yield from _operations(prefix + child_prefix, child)


def test_every_method_and_path_has_one_endpoint():
    counts = collections.Counter(op for prefix, router, *_rest in api._routers for op in _operations(prefix, router))
    assert counts and not [op for op, n in counts.items() if n > 1]
