"""Back office: e-licences are read-only here (placed by issuance, revoked through the service, audited)."""

from django.contrib import admin

from yingshang.licences.models import ELicense


@admin.register(ELicense)
class ELicenseAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "holder_name", "holder_id_masked", "issuer_name", "issued_on", "valid_until", "status")
    list_filter = ("status", "holder_kind")
    search_fields = ("number", "source_ref", "holder_name")
    date_hierarchy = "issued_on"
    list_select_related = ("issuer",)
    exclude = ("holder_key",)  # a digest means nothing to a person and is not to be copied around

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
