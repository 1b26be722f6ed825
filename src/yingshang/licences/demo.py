"""The e-licence demo is seeded with the cases' issuance (`cases/demo_issuance.py`): importing it registers the seeder."""

from yingshang.cases import demo_issuance  # noqa: F401
