from __future__ import annotations

from django.db.models import QuerySet

from .models import Organisation


def organisations_of(user) -> QuerySet[Organisation]:
    """The organisations a user is a delegate of."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(delegates__user=user).distinct()


def accreditation_queue() -> QuerySet[Organisation]:
    return Organisation.objects.filter(accreditation=Organisation.Accreditation.REQUESTED).order_by(
        "accreditation_requested_at", "name"
    )


def organisation_detail(pk: int) -> Organisation:
    return Organisation.objects.get(pk=pk)


def organisations_for_secretariat() -> QuerySet[Organisation]:
    """Every organisation, with its delegates counted, for the secretariat's list."""
    from django.db.models import Count

    return Organisation.objects.annotate(n_delegates=Count("delegates")).order_by("name")
