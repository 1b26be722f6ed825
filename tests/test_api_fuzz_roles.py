"""Fuzz the trading API as the people who use it (centre staff, a bidder, a tenderer), so that the handlers
behind the permission checks are reached too: bad input never gets a 500 (see test_api_fuzz.py)."""

import pytest

from tests.factories import DepartmentFactory, UserFactory
from tests.test_api_fuzz import OPERATIONS, _fuzz, _keep_the_test_connection  # noqa: F401  (fixture)
from yingshang.kernel.services.org import do_issue_api_token

pytestmark = pytest.mark.django_db
TRADING = [op for op in OPERATIONS if "/trading/" in op.label]
ROLES = {
    "trading_staff": lambda: UserFactory(trading_staff=True, department=DepartmentFactory()),
    "bidder": lambda: UserFactory(role_codes=["bidder"], uscc="916108028259791964", organization_name="投标企业"),
    "tenderer": lambda: UserFactory(tenderer=True),
}


@pytest.mark.parametrize("operation", TRADING, ids=[op.label for op in TRADING])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_trading_api_never_answers_500_to_its_users(operation, role):
    _, raw = do_issue_api_token(ROLES[role](), "fuzz")
    _fuzz(operation, headers={"Authorization": f"Bearer {raw}"})
