"""Versions: drafts, publication with validity windows, retirement; published versions never change."""

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.catalog.conftest import create_and_publish, food_licence, restaurant_joint
from yingshang.catalog import services
from yingshang.catalog.choices import Status
from yingshang.catalog.content import MaterialRow, content_of
from yingshang.catalog.models import Material, ServiceItem, ServiceItemVersion
from yingshang.kernel import access
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.models import AuditEntry

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_a_new_item_starts_as_draft_version_one_and_is_audited(city):
    with transaction.atomic():
        draft = services.do_create_item("610800-xk-0001 ", "city", city["SCJG"], food_licence())
    assert (draft.item.code, draft.number, draft.status) == ("610800-XK-0001", 1, Status.DRAFT)
    assert draft.materials.count() == 4 and draft.steps.count() == 3
    assert list(draft.halls.values_list("code", flat=True)) == ["610800-HALL01"]
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["catalog.item.create", "catalog.version.create_draft"]
    assert services.version_in_force(draft.item) is None  # a draft is not in force


def test_publishing_puts_the_version_in_force_from_its_date(city):
    version = create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    assert (version.status, version.valid_from, version.valid_to) == (Status.PUBLISHED, today(), None)
    assert services.version_in_force(version.item, today()) == version
    assert services.version_in_force(version.item, today() - timedelta(days=1)) is None
    entry = AuditEntry.objects.get(action="catalog.version.publish")
    assert json.loads(entry.summary)["after"]["number"] == 1


def test_a_case_keeps_its_version_the_next_version_applies_from_its_date(city, tomorrow):
    v1 = create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    with transaction.atomic():
        draft = services.do_create_draft(v1.item)
        content = content_of(draft)
        content.fields["name"] = "食品经营许可（新版）"
        services.do_update_draft(draft, content)
        services.do_publish(draft, tomorrow + timedelta(days=9))
    v1.refresh_from_db()
    start = tomorrow + timedelta(days=9)
    assert v1.valid_to == start - timedelta(days=1)
    # A case accepted today stores v1; the lookup by its acceptance date gives v1 too.
    assert services.version_in_force(v1.item, today()) == v1
    assert services.version_in_force(v1.item, start - timedelta(days=1)) == v1
    assert services.version_in_force(v1.item, start).name == "食品经营许可（新版）"


def test_published_versions_are_immutable(city):
    version = create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    version.name = "改名"
    with pytest.raises(Conflict) as exc:
        version.save()
    assert exc.value.code == "catalog.version_immutable"
    material = version.materials.first()
    material.name = "改名"
    with pytest.raises(Conflict):
        material.save()
    with pytest.raises(Conflict):
        material.delete()
    with pytest.raises(Conflict):
        Material.objects.create(version=version, name="新增材料")
    with pytest.raises(Conflict), transaction.atomic():
        version.halls.clear()
    with pytest.raises(Conflict):
        version.delete()
    assert version.halls.count() == 1 and version.materials.count() == 4
    with pytest.raises(Conflict):
        services.do_update_draft(version, food_licence())


def test_editing_means_a_new_draft_copied_from_the_latest_version(city):
    v1 = create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    with transaction.atomic():
        draft = services.do_create_draft(v1.item, change_note="修订材料")
    assert draft.number == 2 and draft.status == Status.DRAFT
    assert content_of(draft).comparable() == content_of(v1).comparable()
    with pytest.raises(Conflict) as exc, transaction.atomic():
        services.do_create_draft(v1.item)
    assert exc.value.code == "catalog.draft_exists"
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a second draft too
        ServiceItemVersion.objects.create(item=v1.item, number=3, name="x", item_type="public_service")


def test_publication_refuses_a_content_that_breaks_the_rules_listing_every_problem(city):
    with transaction.atomic():
        draft = services.do_create_item("610800-XK-0001", "city", city["SCJG"],
                                        food_licence(committed_limit_days=12, zero_visit=True))
    with pytest.raises(InvalidInput) as exc, transaction.atomic():
        services.do_publish(draft)
    found = {d["code"] for d in exc.value.details}
    assert {"catalog.committed_exceeds_statutory", "catalog.zero_visit_visits"} <= found
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_publication_dates_cannot_be_in_the_past_or_before_the_previous_version(city, tomorrow):
    with transaction.atomic():
        draft = services.do_create_item("610800-XK-0001", "city", city["SCJG"], food_licence())
    with pytest.raises(InvalidInput) as exc, transaction.atomic():
        services.do_publish(draft, today() - timedelta(days=1))
    assert exc.value.code == "catalog.valid_from_past"
    with transaction.atomic():
        services.do_publish(draft, tomorrow + timedelta(days=5))
        second = services.do_create_draft(draft.item)
    with pytest.raises(InvalidInput) as exc, transaction.atomic():
        services.do_publish(second, tomorrow)
    assert exc.value.code == "catalog.valid_from_before_previous"


def test_same_day_republication_supersedes_the_earlier_version(city):
    v1 = create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    with transaction.atomic():
        v2 = services.do_publish(services.do_create_draft(v1.item))
    v1.refresh_from_db()
    assert v1.valid_to == today() - timedelta(days=1)
    assert services.version_in_force(v1.item) == v2


def test_retiring_ends_the_item_from_the_date_keeping_history(city, tomorrow):
    version = create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    with pytest.raises(InvalidInput) as exc, transaction.atomic():
        services.do_retire(version, tomorrow, "  ")
    assert exc.value.code == "catalog.retire_reason"
    with transaction.atomic():
        services.do_retire(version, tomorrow, "依据的规章已废止")
    version.refresh_from_db()
    assert (version.status, version.valid_to) == (Status.RETIRED, today())
    assert services.version_in_force(version.item, today()) == version  # still the version of today's cases
    assert services.version_in_force(version.item, tomorrow) is None
    with pytest.raises(Conflict), transaction.atomic():
        services.do_retire(version, tomorrow, "再次")


def test_retire_refuses_a_superseded_version_and_past_dates(city, tomorrow):
    v1 = create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    with pytest.raises(InvalidInput), transaction.atomic():
        services.do_retire(v1, today() - timedelta(days=1), "原因")
    with transaction.atomic():
        services.do_publish(services.do_create_draft(v1.item), tomorrow)
    with pytest.raises(Conflict) as exc, transaction.atomic():
        services.do_retire(v1, tomorrow, "原因")
    assert exc.value.code in ("catalog.retire_status", "catalog.retire_not_latest")


def test_new_items_are_checked_for_code_level_and_department(city):
    with pytest.raises(InvalidInput) as exc:
        services.check_new_item("bad code", "city", city["SCJG"])
    assert exc.value.code == "catalog.code_format"
    with pytest.raises(InvalidInput) as exc:
        services.check_new_item("610802-XK-0001", "city", city["Y-SCJG"])
    assert exc.value.code == "catalog.level_mismatch"
    with pytest.raises(InvalidInput) as exc:
        services.check_new_item("610800-XK-0001", "city", city["HALL"])
    assert exc.value.code == "catalog.owner_department"
    create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    with pytest.raises(Conflict):
        services.check_new_item("610800-XK-0001", "city", city["SCJG"])


def test_unknown_departments_and_halls_are_refused_before_anything_is_written(city):
    content = restaurant_joint()
    content.halls = ["610800-SCJG"]  # a department, not a hall
    content.steps[1].department = "610800-NOPE"
    with pytest.raises(InvalidInput) as exc, transaction.atomic():
        services.do_create_item("610800-GG-0001", "city", city["SCJG"], content)
    assert {d["code"] for d in exc.value.details} >= {"catalog.hall_unknown", "catalog.department_unknown"}
    assert not ServiceItem.objects.exists()


def test_apply_is_idempotent_and_turns_changes_into_drafts(city):
    owner = city["SCJG"]
    with transaction.atomic():
        assert services.do_apply("610800-XK-0001", "city", owner, food_licence(), publish=True)[0] == services.CREATED
        assert services.do_apply("610800-XK-0001", "city", owner, food_licence(), publish=True)[0] == services.UNCHANGED
        changed = food_licence()
        changed.materials.append(MaterialRow("健康证明"))
        outcome, draft, published = services.do_apply("610800-XK-0001", "city", owner, changed)
        assert (outcome, draft.number, published) == (services.NEW_DRAFT, 2, False)
        changed.materials[-1].pending_allowed = True
        assert services.do_apply("610800-XK-0001", "city", owner, changed)[0] == services.UPDATED_DRAFT
        outcome, version, published = services.do_apply("610800-XK-0001", "city", owner, changed, publish=True)
    assert (outcome, version.number, published) == (services.UNCHANGED, 2, True)
    assert ServiceItemVersion.objects.count() == 2


def test_apply_refuses_to_move_an_item_to_another_department(city):
    create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    with pytest.raises(Conflict) as exc, transaction.atomic():
        services.do_apply("610800-XK-0001", "city", city["WJ"], food_licence())
    assert exc.value.code == "catalog.identity_changed"


def test_catalog_manage_is_an_administrator_permission(city):
    from tests.factories import UserFactory

    assert access.has_perm(UserFactory(admin=True), services.MANAGE)
    assert not access.has_perm(UserFactory(clerk=True), services.MANAGE)


def test_get_item_answers_not_found_in_chinese(city):
    with pytest.raises(NotFound) as exc:
        services.get_item("610800-XK-9999")
    assert "610800-XK-9999" in exc.value.message
