"""Export-only resources of the two registers: the columns a user may choose on the export page
(the ledgers in disputes/ledgers.py stream the rows)."""

from import_export import fields

from core.resources import ScopedModelResource
from disputes.ledgers import MEDIATION_LEDGER, RISK_LEDGER
from disputes.models import Dispute, RiskReport


def ledger_fields(ledger):
    """A read-only field per ledger column, headed as the ledger heads it."""
    return {c.key: fields.Field(attribute=c.key, column_name=c.header, readonly=True) for c in ledger.columns}


def ledger_resource(name, ledger, model):
    meta = type("Meta", (), {"model": model, "fields": [c.key for c in ledger.columns],
                             "export_order": [c.key for c in ledger.columns]})  # fmt: skip
    doc = f"Export only: the columns of {ledger.name} (streamed by its ledger)."
    return type(name, (ScopedModelResource,), {"__doc__": doc, "__module__": __name__, "Meta": meta,
                                                **ledger_fields(ledger)})  # fmt: skip


RiskReportResource = ledger_resource("RiskReportResource", RISK_LEDGER, RiskReport)
DisputeResource = ledger_resource("DisputeResource", MEDIATION_LEDGER, Dispute)
