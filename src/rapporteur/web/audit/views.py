"""The secretariat's page of the audit log and its CSV export. Read only: no view writes an entry
except the export's own (exporting the log is an act)."""
from __future__ import annotations

import io
import json

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from rapporteur.web.core.http import require
from rapporteur.web.exports import cells

from . import selectors, services
from .models import AuditEntry

PER_PAGE = 50
COLUMNS = ["id", "at", "actor", "act", "act_label", "target_type", "target_id", "target", "process", "before", "after",
           "reason"]


def _filters(request) -> dict[str, str]:
    act = request.GET.get("act", "")
    return {"act": act if act in AuditEntry.Act.values else "", "actor": request.GET.get("actor", "")[:150],
            "process": request.GET.get("process", "")[:50]}


@require_GET
def entry_list(request):
    require(request, "audit.view_auditentry")
    filters = _filters(request)
    page = Paginator(selectors.entries(**filters), PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "audit/entry_list.html", {
        "page": page, "filters": filters, "query": query, "acts": AuditEntry.Act.choices,
        "actors": selectors.actor_names(), "processes": selectors.processes(),
    })


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str) if value else ""


@require_GET
def export_csv(request):
    """Every entry the filters select, oldest first; each cell through ``exports.cells.safe_cell`` (no
    formula runs in a spreadsheet). The export is itself recorded."""
    require(request, "audit.export_auditentry")
    filters = _filters(request)
    with transaction.atomic():
        rows = list(selectors.entries(**filters).order_by("at", "pk"))
        services.record(request.user, AuditEntry.Act.EXPORT_AUDIT_LOG, request.user, label="audit log",
                        after={"filters": {k: v for k, v in filters.items() if v}, "entries": len(rows)})
    out = io.StringIO()
    writer = cells.writer(out)
    writer.writerow(COLUMNS)
    for e in rows:
        writer.writerow([e.pk, e.at.isoformat(), e.actor_name, e.act, str(e.get_act_display()), e.target_type,
                         e.target_id, e.target_label, e.process.slug if e.process else "", _json(e.before),
                         _json(e.after), e.reason])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{timezone.now():%Y%m%d-%H%M%S}.csv"'
    return response
