"""Rating rounds: thin views over services (writes) and selectors (reads).

Every page works without JavaScript (forms post and redirect); with htmx the rating card and the
dashboard are swapped in place. A refused vote answers with its 4xx status in both cases.
"""
import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from rapporteur.web.core import ratelimit
from rapporteur.web.core.http import require
from rapporteur.web.core.uploads import save_import_upload, save_meta_upload
from rapporteur.web.processes.models import Session
from rapporteur.web.syntheses.models import Synthesis

from . import selectors, services
from .forms import ImportRoundForm, ModerationForm, OpenRoundForm, StatementForm
from .models import Round, Statement


VOTE_LABELS = {"agree": pgettext_lazy("a vote", "agree"), "disagree": pgettext_lazy("a vote", "disagree"),
               "pass": pgettext_lazy("a vote", "pass")}
# The groups known in advance, as the dashboard names them (the engine's names are English).
GROUP_LABELS = {"UN region": (pgettext_lazy("a group of participants", "UN region"),
                              pgettext_lazy("groups of participants", "UN regions")),
                "stakeholder type": (pgettext_lazy("a group of participants", "stakeholder type"),
                                     pgettext_lazy("groups of participants", "stakeholder types"))}


def _round(pk) -> Round:
    try:
        return selectors.round_detail(pk)
    except Round.DoesNotExist:
        raise Http404("No such round") from None


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _rating_context(request, round: Round, error: str = "") -> dict:
    user = request.user
    participant = selectors.participant_of(round, user)
    can_vote = user.has_perm("rounds.vote", round)
    state = selectors.rating_state(round, participant)
    done, total = selectors.progress(round, participant, state)
    return {
        "round": round,
        "can_vote": can_vote,
        "statement": selectors.next_statement(round, user, participant, state) if can_vote else None,
        "done": done,
        "total": total,
        "votes": selectors.my_votes(round, participant),
        "error": error,
    }


def round_detail(request, pk, error: str = "", status: int = 200):
    round = _round(pk)
    user = request.user
    context = _rating_context(request, round, error)
    context.update({
        "can_add_statement": user.has_perm("rounds.add_statement", round),
        "statement_form": StatementForm(),
        "can_manage": user.has_perm("rounds.close_round", round),
        "can_moderate": user.has_perm("rounds.moderate_statement", Statement(round=round, state=Statement.State.PENDING)),
        "can_add_results": user.has_perm("rounds.add_results_to_synthesis", round),
        "pending": selectors.pending_statements(round),
        "moderation_form": ModerationForm(),
        "counts": selectors.live_counts(round),
        "is_delegate_without_accreditation": user.is_authenticated and not user.has_perm("rounds.vote", round)
        and round.is_open and services.delegation_for_rounds(user) is None
        and user.delegations.exists(),
    })
    return render(request, "rounds/round_detail.html", context, status=status)


@require_POST
def vote(request, pk):
    round = _round(pk)
    if round.is_open or not request.user.is_authenticated:
        require(request, "rounds.vote", round)  # sign in; only delegates of accredited organisations vote
    refused = ratelimit.vote(request.user.pk, request.META)  # before the vote is read: nothing is stored
    if refused is not None:
        return _rate_limited(request, round, refused)
    try:
        statement_id = int(request.POST.get("statement", ""))
    except ValueError:
        statement_id = -1
    try:
        if not round.is_open:
            raise services.VoteRefused(_("Round %(round)s is closed: votes are no longer taken.") % {"round": round.pk},
                                       409, "round_closed")
        outcome = services.cast_vote(round_id=round.pk, statement_id=statement_id, user=request.user,
                                     value=request.POST.get("vote", ""))
    except services.VoteRefused as refused:
        if _is_htmx(request):
            return render(request, "rounds/_rating.html", _rating_context(request, round, refused.message),
                          status=refused.status)
        return round_detail(request, pk, error=refused.message, status=refused.status)
    if _is_htmx(request):
        context = _rating_context(request, round)
        context["last"] = outcome
        return render(request, "rounds/_rating.html", context)
    if request.POST.get("next") == "votes":
        messages.success(request, _("Your vote is now “%(statement)s…”: %(vote)s.") % {
            "statement": outcome.statement.text[:60], "vote": VOTE_LABELS.get(request.POST.get("vote"), "")})
    return redirect(reverse("rounds:detail", args=[round.pk]) + "#rating", permanent=False)


def _rate_limited(request, round: Round, refused: ratelimit.RateLimited):
    """429 with Retry-After: the rating card with the message (htmx), else the short page."""
    if not _is_htmx(request):
        return ratelimit.page_response(request, refused)
    message = ngettext("Too many votes in a short time: nothing was recorded. Wait %(seconds)s second and vote again.",
                       "Too many votes in a short time: nothing was recorded. Wait %(seconds)s seconds and vote again.",
                       refused.retry_after) % {"seconds": refused.retry_after}
    response = render(request, "rounds/_rating.html", _rating_context(request, round, message), status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response


@require_POST
def add_statement(request, pk):
    round = _round(pk)
    require(request, "rounds.add_statement", round)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            services.add_statement(round, user=request.user, text=form.cleaned_data["text"])
        except services.VoteRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Thank you: your statement is shown to others once a moderator accepts it."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("rounds:detail", pk=round.pk)


@require_POST
def moderate(request, pk):
    statement = get_object_or_404(Statement.objects.select_related("round"), pk=pk)
    require(request, "rounds.moderate_statement", statement)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.moderate_statement(statement, approve=form.cleaned_data["decision"] == "approve",
                                        reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            statement.refresh_from_db()
            messages.success(request, _("The statement is %(state)s.") % {"state": statement.get_state_display()})
    else:
        messages.error(request, _("Choose accept or reject."))
    return redirect("rounds:detail", pk=statement.round_id)


@require_POST
def change_status(request, pk):
    round = _round(pk)
    require(request, "rounds.close_round", round)
    try:
        if request.POST.get("status") == "closed":
            services.close_round(round, by=request.user)
        else:
            services.reopen_round(round, by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("The round is %(status)s.") % {"status": round.get_status_display()})
    return redirect("rounds:detail", pk=round.pk)


def open_round(request, session_pk):
    session = get_object_or_404(Session.objects.select_related("phase__process"), pk=session_pk)
    require(request, "rounds.open_round", session)
    syntheses = Synthesis.objects.filter(session=session, status__in=["draft", "published"]).order_by("-version")
    form = OpenRoundForm(request.POST or None, syntheses=syntheses,
                         initial={"synthesis": syntheses.first(), "accepts_statements": True})
    if request.method == "POST" and form.is_valid():
        try:
            round = services.open_round(
                session, synthesis=form.cleaned_data["synthesis"], by=request.user, title=form.cleaned_data["title"],
                accepts_statements=form.cleaned_data["accepts_statements"],
                max_key_points=form.cleaned_data["max_key_points"],
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("The round is open with %(n)s statements.") % {"n": round.statements.count()})
            return redirect("rounds:detail", pk=round.pk)
    return render(request, "rounds/open_round.html", {"form": form, "session": session, "has_syntheses": syntheses.exists()})


def import_round(request, session_pk):
    session = get_object_or_404(Session.objects.select_related("phase__process"), pk=session_pk)
    require(request, "rounds.import_round", session)
    form = ImportRoundForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        with tempfile.TemporaryDirectory(prefix="rapporteur-polis-") as tmp:
            try:
                path = save_import_upload(form.cleaned_data["export"], Path(tmp))
                if not path.is_dir():
                    raise ValidationError(_("Upload the Pol.is export as a ZIP of its folder."))
                extra = form.cleaned_data.get("participants")
                participants = save_meta_upload(extra, Path(tmp)) if extra else None
                round, problems = services.import_conversation(session, path, participants_csv=participants,
                                                               by=request.user, title=form.cleaned_data["title"])
            except ValidationError as err:
                form.add_error("export", err)
            else:
                messages.success(request, _("Imported “%(title)s”: %(statements)s statements, %(participants)s "
                                            "participants, %(votes)s votes.") % {
                    "title": round.title, "statements": round.statements.count(),
                    "participants": round.participants.count(), "votes": round.votes.count()})
                if not problems:
                    return redirect("rounds:detail", pk=round.pk)
                return render(request, "rounds/import_round.html",
                              {"form": ImportRoundForm(), "session": session, "problems": problems, "round": round})
    return render(request, "rounds/import_round.html", {"form": form, "session": session, "problems": problems})


@require_POST
def add_results_to_synthesis(request, pk):
    from rapporteur.web.syntheses import services as synthesis_services

    round = _round(pk)
    require(request, "rounds.add_results_to_synthesis", round)
    if not round.votes.exists():
        messages.error(request, _("The round has no vote yet."))
        return redirect("rounds:detail", pk=round.pk)
    base = round.source_synthesis
    if base is None or not base.data:
        base = (Synthesis.objects.filter(session=round.session, status__in=["draft", "published"])
                .exclude(data=None).order_by("-version").first())
    if base is None:
        messages.error(request, _("The session has no finished synthesis yet: run one first."))
        return redirect("rounds:detail", pk=round.pk)
    try:
        synthesis = synthesis_services.start_synthesis(session=round.session, by=request.user, based_on=base)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("rounds:detail", pk=round.pk)
    messages.success(request, _("Version %(version)s (version %(base)s with the round's results) is queued.") % {
        "version": synthesis.version, "base": base.version})
    return redirect("syntheses:detail", pk=synthesis.pk)


def dashboard(request, pk):
    round = _round(pk)
    return render(request, "rounds/dashboard.html", _dashboard_context(request, round))


def dashboard_live(request, pk):
    """The dashboard's body alone (polled by htmx every few seconds)."""
    round = _round(pk)
    return render(request, "rounds/_dashboard_live.html", _dashboard_context(request, round))


def _dashboard_context(request, round: Round) -> dict:
    services.request_refresh(round)
    cached = selectors.cached_analysis(round)
    counts = selectors.live_counts(round)
    show_small = request.user.has_perm("rounds.view_small_groups", round)
    view = selectors.dashboard(round, cached.data, show_small_groups=show_small)
    for table in view.get("known", []) if isinstance(view, dict) else []:
        table["label"], table["plural"] = GROUP_LABELS.get(table["label"], (table["label"], table["plural"]))
    behind = (selectors.latest_event_id(round) > cached.last_event
              or cached.statements_version != cached.analysed_version)
    return {"round": round, "counts": counts, "view": view, "analysis": cached, "behind": behind,
            "show_small": show_small}
