"""Helpers for commands whose exit codes and --json output are contracts (docs/cli.md)."""

import json

from django.core.management.base import BaseCommand


class ContractCommand(BaseCommand):
    requires_system_checks = []  # scripted callers want the answer, not a system-check pass

    def emit_json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def fail(self, message: str, code: int = 1):
        """Print a Chinese message on stderr and exit with the contract's code."""
        self.stderr.write(message)
        raise SystemExit(code)
