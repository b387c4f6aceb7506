from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext

from .models import Contribution

S = Contribution.State


def _base() -> QuerySet[Contribution]:
    return Contribution.objects.select_related("organisation", "session__phase__process", "submitted_by")


def published_for_session(session) -> QuerySet[Contribution]:
    return _base().filter(session=session, state=S.PUBLISHED).order_by("organisation__name", "pk")


def published_for_phase(phase) -> QuerySet[Contribution]:
    return _base().filter(session__phase=phase, state=S.PUBLISHED).order_by("session__pk", "organisation__name", "pk")


def published_for_process(process) -> QuerySet[Contribution]:
    return _base().filter(session__phase__process=process, state=S.PUBLISHED).order_by(
        "session__pk", "organisation__name", "pk")


def contributions_of(user) -> QuerySet[Contribution]:
    """Every contribution of the organisations the user is a delegate of, drafts included."""
    if not user.is_authenticated:
        return Contribution.objects.none()
    return _base().filter(organisation__delegates__user=user).distinct().order_by("-updated_at")


def moderation_queue() -> QuerySet[Contribution]:
    """Submitted contributions that moderation can decide: their organisation is accredited, or its
    request awaits the secretariat (published once it is accredited). Those of an organisation that
    never requested accreditation, or was refused, wait outside the queue until it requests again."""
    from rapporteur.web.organisations.models import Organisation

    return _base().filter(state=S.SUBMITTED, organisation__accreditation__in=Organisation.SUBMITS).order_by(
        "submitted_at", "pk")


def contribution_detail(pk: int) -> Contribution:
    return _base().get(pk=pk)


# ------------------------------------------------------------------------------ the moderation queue
@dataclass(frozen=True)
class ModerationItem:
    """One thing awaiting moderation: a submitted contribution or a statement added to a rating round."""

    key: str  # "contribution-12" or "statement-7": the value of its checkbox
    kind: str  # "contribution" or "statement"
    title: str
    text: str
    who: str
    where: str
    submitted_at: object
    url: str
    warning: str = ""


def moderation_items(show_authors: bool = False) -> list[ModerationItem]:
    """Submitted contributions and round statements awaiting moderation, oldest first.

    ``show_authors``: name the organisation behind a round statement (the secretariat's view;
    moderators see the participant's stakeholder type only, as on the round's page)."""
    from django.urls import reverse

    from rapporteur.web.rounds import selectors as round_selectors

    items = []
    for c in moderation_queue():
        org = c.organisation
        warning = "" if org.is_accredited else (
            gettext("%(name)s is not accredited (%(accreditation)s): it can be published once accredited.")
            % {"name": org.name, "accreditation": org.get_accreditation_display()})
        items.append(ModerationItem(
            key=f"contribution-{c.pk}", kind="contribution", title=c.display_title, text=c.full_text,
            who=org.name, where=c.session.title, submitted_at=c.submitted_at,
            url=reverse("contributions:detail", args=[c.pk]), warning=warning))
    for s in round_selectors.statements_awaiting_moderation():
        author = s.author.organisation.name if show_authors and s.author and s.author.organisation else ""
        items.append(ModerationItem(
            key=f"statement-{s.pk}", kind="statement", title=s.text, text="",
            who=author or s.context or gettext("a participant"), where=s.round.title, submitted_at=s.created_at,
            url=reverse("rounds:detail", args=[s.round_id])))

    def order(item):
        kind, _, pk = item.key.partition("-")
        return (item.submitted_at is None, item.submitted_at or 0, kind, int(pk))

    return sorted(items, key=order)


def moderation_count() -> int:
    """How many items the moderation queue holds (contributions and round statements)."""
    from rapporteur.web.rounds import selectors as round_selectors

    return moderation_queue().count() + round_selectors.statements_awaiting_moderation().count()
