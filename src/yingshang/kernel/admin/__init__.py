"""Back-office admin for kernel data, one module per concern."""

from yingshang.kernel.admin import audit, calendar, documents, org  # noqa: F401
