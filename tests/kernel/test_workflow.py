"""The workflow toolkit: a transition table as data, and lock → require → change → finish on a real row.

The rows are cases (the cases `Case` model has the `row_version` the toolkit needs), driven by a
small table of the test's own, so nothing here depends on the cases app's rules.
"""

import threading

import pytest
from django.db import connection, transaction

from tests.factories import published_service_item
from yingshang.cases.models import Case
from yingshang.kernel.errors import Conflict, NotFound
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.rules.workflow import Workflow
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import verify

# A bidding project's life (the shape the trading app needs): published → bidding → evaluated; withdrawn.
DRAFT, PUBLISHED, BIDDING, EVALUATED, WITHDRAWN = "draft", "published", "bidding", "evaluated", "withdrawn"
PUBLISH, OPEN_BIDS, EVALUATE, WITHDRAW = "publish", "open_bids", "evaluate", "withdraw"
FLOW = Workflow(
    prefix="trading", noun="交易项目",
    states={DRAFT: "草稿", PUBLISHED: "已发布", BIDDING: "投标中", EVALUATED: "已评标", WITHDRAWN: "已撤回"},
    actions={PUBLISH: "发布公告", OPEN_BIDS: "开标", EVALUATE: "评标", WITHDRAW: "撤回项目"},
    transitions={(DRAFT, PUBLISH): PUBLISHED, (DRAFT, WITHDRAW): WITHDRAWN, (PUBLISHED, OPEN_BIDS): BIDDING,
                 (PUBLISHED, WITHDRAW): WITHDRAWN, (BIDDING, EVALUATE): EVALUATED},
)


class Row:
    def __init__(self, status: str):
        self.status = status


# --- the table -------------------------------------------------------------------------------------
def test_the_table_gives_the_state_after_an_allowed_action_and_none_otherwise():
    assert FLOW.target(DRAFT, PUBLISH) == PUBLISHED and FLOW.allowed(DRAFT, PUBLISH)
    assert FLOW.target(BIDDING, WITHDRAW) is None and not FLOW.allowed(BIDDING, WITHDRAW)


def test_allowed_actions_are_listed_in_the_order_of_the_actions():
    assert FLOW.allowed_actions(DRAFT) == [PUBLISH, WITHDRAW]
    assert FLOW.allowed_actions(PUBLISHED) == [OPEN_BIDS, WITHDRAW]


def test_the_final_states_are_those_no_action_leaves():
    assert FLOW.final_states == {EVALUATED, WITHDRAWN}


def test_a_table_naming_an_unknown_state_or_action_is_refused_when_it_is_made():
    with pytest.raises(ValueError, match="unknown state or action"):
        Workflow(prefix="x", noun="件", states={"a": "甲"}, actions={"go": "走"}, transitions={("a", "go"): "b"})
    with pytest.raises(ValueError):
        Workflow(prefix="x", noun="件", states={"a": "甲"}, actions={}, transitions={("a", "go"): "a"})


def test_require_returns_the_next_state_of_an_allowed_action():
    assert FLOW.require(Row(PUBLISHED), OPEN_BIDS) == BIDDING


def test_a_refused_action_says_in_chinese_where_the_object_is_and_what_it_can_do():
    with pytest.raises(Conflict) as caught:
        FLOW.require(Row(PUBLISHED), EVALUATE)
    err = caught.value
    assert err.code == "trading.transition_not_allowed"
    assert err.message == "交易项目当前状态为“已发布”，不能评标。当前可以：开标、撤回项目。"
    assert err.details == {"status": PUBLISHED, "action": EVALUATE, "allowed": [OPEN_BIDS, WITHDRAW]}


def test_an_action_on_a_finished_object_says_it_is_finished():
    with pytest.raises(Conflict) as caught:
        FLOW.require(Row(WITHDRAWN), PUBLISH)
    assert caught.value.message == "交易项目当前状态为“已撤回”，不能发布公告。该交易项目已结束，不能再办理。"


# --- lock and finish on a row ----------------------------------------------------------------------
def _row(status: str = DRAFT) -> Case:
    version = published_service_item()
    return Case.objects.create(item=version.item, item_version=version, item_name=version.name, kind=version.kind,
                               department=version.item.department, applicant_kind="enterprise",
                               applicant_name="榆林市恒泰能源科技有限公司", channel="window", status=status)


def snapshot(row: Case) -> dict:
    return {"status": row.status, "row_version": row.row_version}


def publish(pk: int, row_version: int | None) -> Case:
    """The whole pattern a service follows, inside the caller's transaction."""
    row = workflow.lock(Case.objects.select_related("department"), pk, row_version, FLOW)
    after = FLOW.require(row, PUBLISH)
    before = snapshot(row)
    row.status = after
    workflow.finish(row, PUBLISH, before, snapshot=snapshot, fields=["status"], note="公告期20日")
    return row


@pytest.mark.django_db
def test_finish_bumps_the_version_saves_and_records_the_audit_entry_in_the_same_transaction():
    row = _row()
    with transaction.atomic():
        publish(row.pk, row.row_version)
    row.refresh_from_db()
    assert (row.status, row.row_version) == (PUBLISHED, 2)
    entry = AuditEntry.objects.get(action="cases.case.publish", object_id=str(row.pk))
    assert '"before":{"row_version":1,"status":"draft"}' in entry.summary
    assert '"after":{"row_version":2,"status":"published"}' in entry.summary and "公告期20日" in entry.summary
    assert verify().ok


@pytest.mark.django_db
def test_a_failure_after_finish_rolls_back_the_change_and_its_audit_entry():
    row = _row()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(row.pk, row.row_version)
        raise RuntimeError("the caller's transaction fails later")
    row.refresh_from_db()
    assert (row.status, row.row_version) == (DRAFT, 1)
    assert not AuditEntry.objects.filter(action="cases.case.publish").exists()


@pytest.mark.django_db
def test_finish_with_fields_saves_only_those_columns_and_the_version():
    row = _row()
    with transaction.atomic():
        locked = workflow.lock(Case, row.pk, 1, FLOW)
        locked.status, locked.applicant_name = PUBLISHED, "不应保存的名称"
        workflow.finish(locked, PUBLISH, snapshot(row), snapshot=snapshot, fields=["status"], extra={"days": 20})
    row.refresh_from_db()
    assert (row.status, row.row_version, row.applicant_name) == (PUBLISHED, 2, "榆林市恒泰能源科技有限公司")


@pytest.mark.django_db
def test_a_second_actor_from_the_same_version_gets_a_conflict():
    row = _row()
    with transaction.atomic():
        publish(row.pk, 1)
    with pytest.raises(Conflict) as caught, transaction.atomic():
        publish(row.pk, 1)
    err = caught.value
    assert (err.code, err.message) == ("trading.conflict", "该交易项目已被他人处理，请刷新后重试")
    assert err.details == {"row_version": 2, "yours": 1, "status": PUBLISHED}


@pytest.mark.django_db
def test_without_a_version_the_lock_skips_the_check_and_the_table_still_applies():
    row = _row(BIDDING)
    with pytest.raises(Conflict) as caught, transaction.atomic():
        publish(row.pk, None)
    assert caught.value.code == "trading.transition_not_allowed"


@pytest.mark.django_db
@pytest.mark.parametrize("pk", [0, -1, 2**63, True, "1", None, 10**6])
def test_an_id_that_names_no_row_is_not_found(pk):
    _row()
    with pytest.raises(NotFound) as caught, transaction.atomic():
        workflow.lock(Case, pk, None, FLOW)
    assert (caught.value.code, caught.value.message) == ("trading.not_found", "交易项目不存在")


@pytest.mark.django_db
def test_a_workflow_may_name_its_own_not_found_code():
    flow = Workflow(prefix="trading", noun="交易项目", states=FLOW.states, actions=FLOW.actions,
                    transitions=FLOW.transitions, not_found="trading.project_not_found")
    with pytest.raises(NotFound) as caught:
        workflow.lock(Case, 10**6, None, flow)
    assert caught.value.code == "trading.project_not_found"


# --- real parallel transactions (PostgreSQL) -------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_parallel_actors_from_one_version_have_exactly_one_winner(on_postgres):
    row = _row()
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def worker(i: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                results[i] = publish(row.pk, 1)
        except Exception as exc:  # reported to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].code == "trading.conflict" and losers[0].details["row_version"] == 2
    row.refresh_from_db()
    assert (row.status, row.row_version) == (PUBLISHED, 2)
    assert AuditEntry.objects.filter(action="cases.case.publish", object_id=str(row.pk)).count() == 1
    assert verify().ok
