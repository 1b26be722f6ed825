"""Forms of the staff pages (the services validate again; forms only shape the input)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import BatchKind, RemovalReason, Scenario


class UploadForm(forms.Form):
    department = forms.ModelChoiceField(label=_("报送部门"), queryset=None, to_field_name="code")
    kind = forms.ChoiceField(label=_("信息类型"), choices=BatchKind.choices)
    file = forms.FileField(label=_("文件（CSV 或 xlsx）"),
                           help_text=_("使用国家双公示模板的中文列名；CSV 可为 UTF-8、GBK 或 GB18030 编码"))

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class DesignateForm(forms.Form):
    code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=64)
    subject_name = forms.CharField(label=_("主体名称"), max_length=200, required=False,
                                   help_text=_("主体尚未在平台登记时必填"))
    list_type = forms.ModelChoiceField(label=_("名单类型"), queryset=None)
    department = forms.ModelChoiceField(label=_("认定部门"), queryset=None)
    basis = forms.CharField(label=_("认定依据"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    reason = forms.CharField(label=_("认定事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                             required=False)
    document_name = forms.CharField(label=_("认定文书名称"), max_length=200, required=False)
    document_no = forms.CharField(label=_("认定文书号"), max_length=128)
    decided_on = forms.DateField(label=_("认定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_from = forms.DateField(label=_("列入日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("默认为认定日期"))
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("为空时按名单类型的默认有效期；无默认有效期的为长期"))
    published = forms.BooleanField(label=_("向社会公示"), required=False, initial=True)
    attachment = forms.FileField(label=_("认定文书附件"), required=False)

    def __init__(self, *args, list_types=(), departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        from yingshang.credit.models import ListType

        self.fields["list_type"].queryset = ListType.objects.filter(pk__in=[t.pk for t in list_types])
        self.fields["department"].queryset = departments


class RemoveForm(forms.Form):
    reason = forms.ChoiceField(label=_("移出原因"), choices=[(c.value, c.label) for c in RemovalReason
                                                           if c != RemovalReason.EXPIRY])
    note = forms.CharField(label=_("移出说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class CheckForm(forms.Form):
    code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=64)
    scenario = forms.ChoiceField(label=_("业务场景"), choices=[("", _("全部场景")), *Scenario.choices], required=False)
