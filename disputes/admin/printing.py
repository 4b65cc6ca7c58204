"""The case file's print views (A4, black on white): ``<pk>/print/<document>/``.

Every document shows the parties' ID numbers masked, except the agreement, a legal paper that
carries them in full: printing it is written to the access log like a reveal. The whole file
(卷宗) prints cover, contents, every document present and the back cover.
"""

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from core.access import AccessAction, record_access
from core.masking import mask_id_number, mask_phone
from disputes.casefile import documents

PRINTABLE = {
    "register": "受理登记表",
    "notice": "人民调解权利义务告知书",
    "investigation": "调查记录",
    "sessions": "调解记录",
    "agreement": "人民调解协议书",
    "revisits": "回访记录",
    "report": "结案报告",
    "casefile": "卷宗（全部）",
}


def party_rows(dispute, *, full):
    """The parties' particulars for a paper; ID numbers and phones masked unless ``full``."""
    rows = []
    today = timezone.localdate()
    for party in dispute.parties.select_related("resident__household"):
        resident = party.resident
        id_number, phone = party.full_id_number, party.full_phone
        rows.append(
            {
                "side": party.get_side_display(),
                "name": party.display_name,
                "gender": (resident.get_gender_display() if resident else party.get_gender_display()) or "",
                "age": (resident.age(today) if resident else party.age) or "",
                "ethnicity": party.ethnicity,
                "occupation": party.occupation,
                "address": party.address or (resident.household.address if resident else ""),
                "id_number": id_number if full else mask_id_number(id_number) if id_number else "",
                "phone": phone if full else mask_phone(phone),
            }
        )
    return rows


class PrintViewsMixin:
    def get_urls(self):
        view = self.admin_site.admin_view(self.print_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_print"
        return [path("<path:object_id>/print/<str:document>/", view, name=name), *super().get_urls()]

    def print_links(self, obj):
        present = {doc.key for doc in documents(obj) if doc.present}
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_print"
        return [
            (title, reverse(name, args=[quote(obj.pk), key]))
            for key, title in PRINTABLE.items()
            if key in present or key == "casefile"
        ]

    def print_view(self, request, object_id, document):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or document not in PRINTABLE:
            raise Http404("没有找到该记录，或您无权查看。")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        agreement = getattr(obj, "agreement", None)
        if document == "agreement" and agreement is None:
            raise Http404("该纠纷尚无调解协议。")
        full = document == "agreement"
        if full:
            record_access(request=request, action=AccessAction.REVEAL, obj=agreement)
        present = [doc for doc in documents(obj) if doc.present]
        shown = [doc.key for doc in present] if document == "casefile" else [document]
        context = {
            "dispute": obj,
            "agreement": agreement,
            "parties": party_rows(obj, full=full),
            "sessions": obj.sessions.all(),
            "revisits": obj.revisits.select_related("revisitor"),
            "events": self.workflow.events(obj),
            "documents": present,
            "shown": shown,
            "casefile": document == "casefile",
            "title": f"{PRINTABLE[document]}：{obj}",
            "printed_on": timezone.localdate(),
            "change_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[quote(obj.pk)]),
        }
        return TemplateResponse(request, "disputes/print/document.html", context)
