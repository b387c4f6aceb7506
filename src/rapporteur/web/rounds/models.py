"""Rating rounds: participants agree, disagree or pass on a session's statements, as in Pol.is.

A round belongs to a session. Its statements are the key points of one of the session's syntheses,
statements participants add (shown once a moderator accepts them), or a Pol.is conversation
imported as a whole. Votes are kept twice: ``Vote`` holds each participant's latest vote on each
statement (one row per pair: that is what counts), ``VoteEvent`` every change (the history, and
the ``votes.csv`` of a Pol.is export).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapporteur.web.organisations.models import Organisation
from rapporteur.web.processes.models import Session

AGREE, DISAGREE, PASS = 1, -1, 0
VOTE_CHOICES = [(AGREE, _("agree")), (DISAGREE, _("disagree")), (PASS, _("pass"))]
VOTE_VALUES = {"agree": AGREE, "disagree": DISAGREE, "pass": PASS}
VOTE_NAMES = {v: k for k, v in VOTE_VALUES.items()}


class Round(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open for rating")
        CLOSED = "closed", _("closed")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    source_synthesis = models.ForeignKey(
        "syntheses.Synthesis", null=True, blank=True, on_delete=models.SET_NULL, related_name="rounds",
        help_text="The synthesis whose key points were put to the vote",
    )
    accepts_statements = models.BooleanField(default=True, help_text="Participants may add statements")
    imported_from = models.CharField(max_length=300, blank=True, help_text="For imports: the Pol.is export read")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["session"], condition=models.Q(status="open"), name="one_open_round_per_session"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Participant(models.Model):
    """Someone who votes in a round: a delegate (for their organisation) or an imported Pol.is participant.

    Region and stakeholder type are copied from the organisation when the participant first votes,
    so that a round's groups do not move if an organisation is edited later.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="round_participations")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    external_id = models.CharField(max_length=100, blank=True, help_text="Pol.is participant id, for imports")
    region = models.CharField(max_length=100, blank=True)
    subregion = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    stakeholder_type = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], condition=models.Q(user__isnull=False),
                                    name="one_participant_per_user_and_round"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or self.external_id or self.pk} in {self.round}"


class Statement(models.Model):
    class Origin(models.TextChoices):
        KEY_POINT = "key_point", _("key point of the synthesis")
        PARTICIPANT = "participant", _("added by a participant")
        IMPORTED = "imported", _("imported from Pol.is")

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="statements")
    text = models.TextField()
    origin = models.CharField(max_length=20, choices=Origin.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    key_point = models.CharField(max_length=20, blank=True, help_text="The synthesis key point (e.g. K3)")
    context = models.CharField(max_length=300, blank=True, help_text="Shown under the statement")
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements")
    external_id = models.CharField(max_length=100, blank=True, help_text="Pol.is comment id, for imports")
    moderation_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Vote(models.Model):
    """A participant's latest vote on a statement (one row per participant and statement)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VOTE_CHOICES)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="one_vote_per_participant_and_statement"),
        ]
        indexes = [models.Index(fields=["round", "statement"], name="rounds_vote_round_statement")]

    @property
    def name(self) -> str:
        return VOTE_NAMES[self.value]


class VoteEvent(models.Model):
    """Every vote that changed something, in order: the history (a Pol.is votes.csv)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="vote_events")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="vote_events")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="vote_events")
    value = models.SmallIntegerField(choices=VOTE_CHOICES)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["round", "id"], name="rounds_event_round_id")]


class RoundAnalysis(models.Model):
    """The last vote analysis of a round (the dashboard's cache), and when a new one was asked for.

    ``last_event`` is the id of the newest ``VoteEvent`` the analysis includes: the analysis is
    stale when the round has a newer event (or its statements changed: ``statements_version``).
    """

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="analysis", primary_key=True)
    data = models.JSONField(null=True, blank=True)
    last_event = models.BigIntegerField(default=0)
    statements_version = models.PositiveIntegerField(default=0)
    analysed_version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
