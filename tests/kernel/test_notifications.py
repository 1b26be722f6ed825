import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import AuditEntry, Message
from yingshang.kernel.services import notifications
from yingshang.kernel.services.notifications import deliver, do_notify, do_resend, mark_read, requeue_stale
from yingshang.kernel.services.sms import LogSmsBackend, SmsBackend, SmsError, get_sms_backend, normalize_mobile

pytestmark = pytest.mark.django_db
PHONE = "13812345678"
S, E, M = Message.Channel.SITE, Message.Channel.EMAIL, Message.Channel.SMS


class FailingSmsBackend(SmsBackend):
    """A provider that is down, and (carelessly) puts the number in its error."""

    def send(self, phone, text):
        raise SmsError(f"gateway timeout sending to {phone}")


class NotABackend:
    pass


@pytest.fixture
def people():
    return (UserFactory(real_name="王芳", email="wangfang@example.com", phone=PHONE),
            UserFactory(real_name="李强", email="", phone=""))


def notify(capture, recipients, **kwargs):
    kwargs.setdefault("subject", "办件受理通知")
    kwargs.setdefault("body", "您的食品经营许可申请已受理，受理编号 SL2026000123。")
    with capture(execute=True):
        return do_notify(recipients, kwargs.pop("subject"), kwargs.pop("body"), **kwargs)


def by_channel(user):
    return {m.channel: m for m in Message.objects.filter(recipient=user)}


class TestRecording:
    def test_one_message_per_recipient_and_channel(self, people, django_capture_on_commit_callbacks):
        created = notify(django_capture_on_commit_callbacks, people)
        assert len(created) == Message.objects.count() == 6
        wang, li = by_channel(people[0]), by_channel(people[1])
        assert {c: m.status for c, m in wang.items()} == {S: "sent", E: "sent", M: "sent"}
        assert {c: m.status for c, m in li.items()} == {S: "sent", E: "skipped", M: "skipped"}
        assert li[E].error == "用户未登记电子邮箱" and li[M].error == "用户未登记手机号"
        assert wang[E].address == "wangfang@example.com" and wang[M].address == PHONE
        assert wang[S].read_at is None and wang[S].sent_at is not None

    def test_duplicate_recipients_are_told_once(self, people, django_capture_on_commit_callbacks):
        notify(django_capture_on_commit_callbacks, [people[0], people[0]], channels=["site", "site"])
        assert Message.objects.count() == 1

    def test_message_is_linked_to_the_object_and_audited_once(self, people, django_capture_on_commit_callbacks):
        dept = DepartmentFactory()
        notify(django_capture_on_commit_callbacks, people, obj=dept)
        assert set(Message.objects.values_list("object_type", "object_id")) == {("kernel.department", str(dept.pk))}
        entry = AuditEntry.objects.get(action="kernel.message.create")
        assert entry.object_id == str(dept.pk)
        assert '"recipients":2' in entry.summary
        assert PHONE not in entry.summary and "wangfang@example.com" not in entry.summary

    def test_inactive_user_and_bad_addresses_are_skipped_with_a_reason(self, django_capture_on_commit_callbacks):
        inactive = UserFactory(email="a@example.com", phone=PHONE, is_active=False)
        bad = UserFactory(email="not-an-email", phone="12345")
        notify(django_capture_on_commit_callbacks, [inactive, bad], channels=("email", "sms"))
        assert {m.error for m in Message.objects.filter(recipient=inactive)} == {"用户已停用"}
        assert by_channel(bad)[E].error == "电子邮箱格式不正确"
        assert by_channel(bad)[M].error == "手机号格式不正确"
        assert mail.outbox == []

    def test_mobile_numbers_are_normalised(self):
        assert normalize_mobile("+86 138-1234-5678") == PHONE
        assert normalize_mobile("0086 13812345678") == PHONE
        assert normalize_mobile("02912345678") is None

    def test_no_recipients_records_nothing(self, django_capture_on_commit_callbacks):
        assert notify(django_capture_on_commit_callbacks, []) == []
        assert not AuditEntry.objects.filter(action="kernel.message.create").exists()

    @pytest.mark.parametrize(("kwargs", "code"), [
        ({"subject": ""}, "missing_subject"),
        ({"subject": "第一行\n第二行"}, "invalid_subject"),
        ({"subject": "长" * 201}, "invalid_subject"),
        ({"body": "  "}, "missing_body"),
        ({"body": "字" * 10_001}, "body_too_long"),
        ({"channels": ["fax"]}, "invalid_channel"),
        ({"channels": []}, "invalid_channel"),
    ])
    def test_bad_input_is_rejected(self, people, django_capture_on_commit_callbacks, kwargs, code):
        with pytest.raises(InvalidInput) as err:
            notify(django_capture_on_commit_callbacks, people, **kwargs)
        assert err.value.code == code and err.value.message
        assert not Message.objects.exists()

    def test_recipient_must_be_a_saved_user(self, django_capture_on_commit_callbacks):
        with pytest.raises(InvalidInput) as err:
            notify(django_capture_on_commit_callbacks, ["wangfang@example.com"])
        assert err.value.code == "invalid_recipient"


class TestSending:
    def test_email_is_sent_after_commit_through_django(self, people, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            do_notify(people, "办件受理通知", "已受理。", channels=["email"])
        assert mail.outbox == [], "nothing is sent before the transaction commits"
        for callback in callbacks:
            callback()
        assert len(mail.outbox) == 1
        sent = mail.outbox[0]
        assert sent.to == ["wangfang@example.com"] and sent.subject == "办件受理通知" and sent.body == "已受理。"
        message = Message.objects.get(channel=E, recipient=people[0])
        assert message.provider_id == sent.extra_headers["Message-ID"]
        assert message.attempts == 1

    def test_nothing_is_sent_or_recorded_when_the_transaction_rolls_back(self, people, django_capture_on_commit_callbacks,
                                                                          caplog):
        caplog.set_level(logging.INFO, logger="yingshang.sms")
        with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
              transaction.atomic()):
            do_notify(people, "办件受理通知", "已受理。")
            raise RuntimeError("the caller failed")
        assert callbacks == []
        assert mail.outbox == [] and not Message.objects.exists()
        assert "SMS" not in caplog.text

    def test_sms_log_shows_the_number_masked_only(self, people, django_capture_on_commit_callbacks, caplog):
        caplog.set_level(logging.DEBUG)
        notify(django_capture_on_commit_callbacks, [people[0]], channels=["sms"],
               body="请携带身份证 610802199001011234 原件到大厅领取，咨询 13987654321。")
        records = [r for r in caplog.records if r.name == "yingshang.sms"]
        assert len(records) == 1
        assert "138****5678" in records[0].getMessage()
        assert "办件受理通知" in records[0].getMessage()
        for secret in (PHONE, "610802199001011234", "13987654321"):
            assert secret not in caplog.text
        message = Message.objects.get()
        assert message.status == "sent" and message.provider_id.startswith("log-")

    def test_failed_sms_is_recorded_masked_and_retried(self, people, settings, django_capture_on_commit_callbacks, caplog):
        from huey.contrib.djhuey import HUEY

        settings.YS_SMS_BACKEND = f"{__name__}.FailingSmsBackend"
        scheduled_before = len(HUEY.scheduled())
        caplog.set_level(logging.DEBUG)
        notify(django_capture_on_commit_callbacks, [people[0]], channels=["sms"])
        message = Message.objects.get()
        assert message.status == "failed" and message.attempts == 1
        assert message.error == "SmsError: gateway timeout sending to 138****5678"
        assert len(HUEY.scheduled()) == scheduled_before + 1, "Huey scheduled a retry"
        assert PHONE not in caplog.text

        settings.YS_SMS_BACKEND = "yingshang.kernel.services.sms.LogSmsBackend"
        assert deliver(message.pk) == "sent"  # what the scheduled retry does
        message.refresh_from_db()
        assert (message.status, message.attempts, message.error) == ("sent", 2, "")

    def test_a_sent_message_is_not_sent_again(self, people, django_capture_on_commit_callbacks):
        notify(django_capture_on_commit_callbacks, [people[0]], channels=["email"])
        message = Message.objects.get()
        assert deliver(message.pk) == "sent"
        assert len(mail.outbox) == 1
        assert deliver(10**9) == "missing"

    def test_site_messages_are_not_queued(self, people, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            do_notify(people, "站内通知", "内容", channels=["site"])
        assert callbacks == []

    def test_queue_outage_leaves_the_message_queued_for_the_sweep(self, people, monkeypatch,
                                                                  django_capture_on_commit_callbacks, caplog):
        from yingshang.kernel import tasks

        def down(message_id):
            raise ConnectionError("redis unreachable")

        monkeypatch.setattr(tasks, "send_message", down)
        notify(django_capture_on_commit_callbacks, [people[0]], channels=["email"])
        message = Message.objects.get()
        assert message.status == "queued" and "could not be enqueued" in caplog.text
        monkeypatch.undo()

        Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=11))
        assert requeue_stale() == 1
        message.refresh_from_db()
        assert message.status == "sent" and len(mail.outbox) == 1

    def test_sweep_recovers_a_message_stuck_in_sending(self, people, django_capture_on_commit_callbacks):
        notify(django_capture_on_commit_callbacks, [people[0]], channels=["email"])
        old = timezone.now() - timedelta(hours=2)
        Message.objects.update(status="sending", created_at=old, last_attempt_at=old)
        assert requeue_stale() == 1
        assert Message.objects.get().status == "sent"

    def test_sweep_leaves_recent_and_in_flight_messages_alone(self, people, django_capture_on_commit_callbacks):
        notify(django_capture_on_commit_callbacks, [people[0]], channels=["email"])
        Message.objects.update(status="queued")  # just queued: its job is presumably on its way
        Message.objects.create(channel=E, recipient=people[0], address="x@example.com", subject="s", body="b",
                               status="sending", last_attempt_at=timezone.now())
        assert requeue_stale() == 0

    def test_operator_can_resend_failed_messages(self, people, settings, django_capture_on_commit_callbacks):
        settings.YS_SMS_BACKEND = f"{__name__}.FailingSmsBackend"
        notify(django_capture_on_commit_callbacks, [people[0]], channels=["sms"])
        settings.YS_SMS_BACKEND = "yingshang.kernel.services.sms.LogSmsBackend"
        with django_capture_on_commit_callbacks(execute=True):
            assert do_resend(Message.objects.values_list("id", flat=True)) == 1
        assert Message.objects.get().status == "sent"
        assert AuditEntry.objects.filter(action="kernel.message.resend").exists()

    def test_sms_backend_setting_must_name_an_sms_backend(self, settings):
        assert isinstance(get_sms_backend(), LogSmsBackend)
        settings.YS_SMS_BACKEND = f"{__name__}.NotABackend"
        with pytest.raises(ImproperlyConfigured):
            get_sms_backend()
        settings.YS_SMS_BACKEND = "nowhere.Backend"
        with pytest.raises(ImproperlyConfigured):
            get_sms_backend()


class TestReading:
    def test_mark_read_touches_only_the_users_own_unread_site_messages(self, people, django_capture_on_commit_callbacks):
        notify(django_capture_on_commit_callbacks, people, channels=["site"])
        wang, li = people
        others = Message.objects.get(recipient=li)
        assert mark_read(wang, [others.pk]) == 0
        assert mark_read(wang) == 1
        assert mark_read(wang) == 0
        assert Message.objects.get(recipient=wang).read_at is not None
        assert Message.objects.get(recipient=li).read_at is None
        assert AuditEntry.objects.filter(action="kernel.message.read").count() == 1


def test_address_masking_for_admin_lists():
    assert notifications.mask_address("sms", PHONE) == "138****5678"
    assert notifications.mask_address("email", "wangfang@example.com") == "w***@example.com"
