from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "yingshang.kernel"
    label = "kernel"
    verbose_name = "平台内核"

    def ready(self) -> None:
        from yingshang.kernel import jobs, signals  # noqa: F401
        from yingshang.kernel.services import calendar  # noqa: F401  (index-refresh signals in every process)
