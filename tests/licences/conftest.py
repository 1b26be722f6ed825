"""The cases fixtures (a small city, published items, the calendar) for licences issued through real cases."""

from tests.cases.conftest import _own_acceptance_checks, city, files, food, official_calendar  # noqa: F401
