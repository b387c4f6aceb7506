"""The rapporteur's desk on the platform: edits to a draft synthesis, applied by the engine.

The web never changes a synthesis document by hand: every edit goes to ``rapporteur.revision.revise``,
which recomputes every figure. The machine's draft is kept (``Synthesis.machine``) the first time a
draft is edited; ``Synthesis.data`` then holds the revised document, which every reader (the report,
the exports, the API, a rating round) reads. Each edit names the revision it was made on (``seen``:
the number of edits the editor saw); one made on an older revision is refused, with the current state,
and nothing is lost. Each edit is one audit log entry: who, when, the edit, and what changed.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from rapporteur.report.data import as_data
from rapporteur.revision.apply import EditError, StaleEdit, revise
from rapporteur.revision.diff import differences
from rapporteur.edits import EditsFileError, dump_edits, parse_edits
from rapporteur.schema import SynthesisDocument
from rapporteur.web.audit import services as audit

from .models import Synthesis

S = Synthesis.Status


class DeskError(ValidationError):
    """An edit the desk refused: the message says why; ``current`` is the revision now in force."""

    def __init__(self, message: str, current: int | None = None, stale: bool = False):
        super().__init__(message)
        self.current, self.stale = current, stale


def document(synthesis: Synthesis) -> SynthesisDocument:
    return SynthesisDocument.model_validate(synthesis.data)


def machine_draft(synthesis: Synthesis) -> SynthesisDocument:
    return SynthesisDocument.model_validate(synthesis.machine or synthesis.data)


def revision_number(synthesis: Synthesis) -> int:
    return len(((synthesis.data or {}).get("revision") or {}).get("edits") or [])


def apply_edit(synthesis: Synthesis, edit: dict, *, seen: int, by, reader=None) -> Synthesis:
    """One edit, applied by the engine to the draft's current document; ``DeskError`` when refused."""
    try:
        edits = parse_edits([edit], "the edit")
    except EditsFileError as error:
        raise DeskError(str(error)) from None
    with transaction.atomic():
        synthesis = _locked_draft(synthesis)
        current = document(synthesis)  # read twice (2 ms): one to edit in place, one to say what changed
        try:
            revised = revise(document(synthesis), edits, copy=False, seen=seen, by=by.get_username(), based_on_version=synthesis.version,
                             reader=reader)
        except StaleEdit as error:
            raise DeskError(str(error), current=error.current, stale=True) from None
        except EditError as error:
            raise DeskError(str(error), current=revision_number(synthesis)) from None
        _save(synthesis, current, revised, by, {"edit": dump_edits(revised.revision.edits[-1:])[0], "revision": seen})
    return synthesis


def undo(synthesis: Synthesis, *, seen: int, by) -> Synthesis:
    """The last edit taken back: the others applied again to the machine's draft (the model readings
    they made are kept with them, so no model is read)."""
    with transaction.atomic():
        synthesis = _locked_draft(synthesis)
        current = document(synthesis)
        edits = current.revision.edits if current.revision else []
        if seen != len(edits):
            raise DeskError(gettext("This undo was asked on revision %(seen)s; the draft is now at revision "
                                    "%(current)s.") % {"seen": seen, "current": len(edits)}, len(edits), stale=True)
        if not edits:
            raise DeskError(gettext("There is no edit to undo."), 0)
        revised = revise(machine_draft(synthesis), edits[:-1], by=by.get_username(), based_on_version=synthesis.version)
        _save(synthesis, current, revised, by, {"undo": dump_edits(edits[-1:])[0], "revision": seen})
    return synthesis


def _locked_draft(synthesis: Synthesis) -> Synthesis:
    synthesis = Synthesis.objects.select_for_update().get(pk=synthesis.pk)
    if synthesis.status != S.DRAFT:
        raise DeskError(gettext("Version %(version)s is %(status)s: it is frozen. Continue it as a new version to "
                                "edit (the secretariat, on the synthesis page).") % {"version": synthesis.version,
                                                       "status": synthesis.get_status_display()})
    if (synthesis.data or {}).get("kind") == "stocktake":
        raise DeskError(gettext("A stocktaking is edited through its assessment."))
    if not (synthesis.data or {}).get("points"):
        raise DeskError(gettext("Version %(version)s was made before the desk: run the synthesis again to edit it.")
                        % {"version": synthesis.version})
    return synthesis


def _save(synthesis: Synthesis, before: SynthesisDocument, revised: SynthesisDocument, by, what: dict) -> None:
    from rapporteur.report.markdown import render_markdown_dict

    if synthesis.machine is None:
        synthesis.machine = synthesis.data
    synthesis.data = as_data(revised)
    synthesis.report_markdown = render_markdown_dict(synthesis.data)
    synthesis.report_html = ""  # rendered from the document when next read (``report_of``), or published
    synthesis.edited_at, synthesis.edited_by = timezone.now(), by
    synthesis.save()
    audit.record(by, audit.Act.EDIT_SYNTHESIS, synthesis, label=str(synthesis),
                 before={"revision": what["revision"]},
                 after={**{k: v for k, v in what.items() if k != "revision"},
                        "revision": revision_number(synthesis), "changes": differences(before, revised)[:40]})



def report_of(synthesis: Synthesis) -> str:
    """The report's HTML. An edit leaves it to be rendered from the revised document when it is next read
    (the review page, the report, publication): the desk answers without writing a 5 MB page per edit."""
    if synthesis.report_html or not synthesis.data or synthesis.machine is None:  # no edit: as the run wrote it
        return synthesis.report_html
    from rapporteur.report.html import render_html_dict

    synthesis.report_html = render_html_dict(synthesis.data)
    Synthesis.objects.filter(pk=synthesis.pk, report_html="").update(report_html=synthesis.report_html)
    return synthesis.report_html


def replay_previous(synthesis: Synthesis, draft: dict) -> tuple[dict | None, dict]:
    """A new run of a session that an earlier version was edited on: that version's edits replayed on the
    new draft (``revision.replay``; those that no longer apply are listed in the revision, never dropped
    silently). Returns (the machine's draft to keep, the document to store); (None, ``draft``) when no
    earlier version of the session was edited."""
    from rapporteur.revision.replay import replay

    if synthesis.session_id is None or (draft or {}).get("kind") == "stocktake" or not draft.get("points"):
        return None, draft
    previous = (Synthesis.objects.filter(session_id=synthesis.session_id, version__lt=synthesis.version,
                                         machine__isnull=False).order_by("-version").first())
    revision = ((previous.data or {}).get("revision") or {}) if previous else {}
    if not revision.get("edits"):
        return None, draft
    edits = SynthesisDocument.model_validate(previous.data).revision.edits
    replayed, _ = replay(SynthesisDocument.model_validate(draft), edits, by=revision.get("by"),
                         based_on_version=synthesis.version, replayed_from=previous.version)
    return draft, as_data(replayed)
