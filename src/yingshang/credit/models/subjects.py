"""Credit subjects: one row per normalized identifier."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import PERSONAL_ID_KINDS, IdKind, SubjectKind


class Subject(models.Model):
    """A legal person, natural person, individual business or government agency.

    `id_key` is the identity: the normalized USCC or organization code, or — for personal documents
    — the keyed digest (`kernel.protect.id_digest`), so that no ID number is stored searchable.
    `id_display` is what pages show (a USCC in full: it is public registration data; a personal
    number masked). `id_cipher` holds a personal number encrypted (Fernet, `credit.identity`) for
    the roles allowed to see it in full; it is never shown without an audited reveal.
    """

    kind = models.CharField(_("主体类型"), max_length=24, choices=SubjectKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    id_kind = models.CharField(_("标识类型"), max_length=24, choices=IdKind.choices)
    id_key = models.CharField(_("标识键"), max_length=64, editable=False)
    id_display = models.CharField(_("证照号码"), max_length=64)
    id_cipher = models.TextField(_("证件号码密文"), blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("信用主体")
        verbose_name_plural = _("信用主体")
        constraints = [models.UniqueConstraint(fields=["id_kind", "id_key"], name="credit_subject_identity")]
        # Name search uses a GIN index over the name's character bigrams on PostgreSQL (migration 0005).

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_person(self) -> bool:
        return self.id_kind in PERSONAL_ID_KINDS

    @property
    def display_name(self) -> str:
        """Natural persons' names are shown with the surname only (张*) outside authorised pages."""
        if self.kind == SubjectKind.NATURAL_PERSON:
            from yingshang.kernel.services.documents import mask_person_name

            return mask_person_name(self.name)
        return self.name
