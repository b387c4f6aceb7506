from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet

from rapporteur.web.core.db import prepared_cursor

from .models import ApiToken, digest


def tokens_of(user) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


# what the permission rules read of a token's user; the rest is loaded if asked for (deferred fields)
_USER_FIELDS = ("id", "username", "is_active", "is_staff", "is_superuser")


def token_user_sql() -> str:
    """The query of the user of a live (unrevoked) API token, the parameter, with a last column saying
    whether they are a delegate of an accredited organisation; no row for another token."""
    from rapporteur.web.organisations.models import Delegate, Organisation

    q = connection.ops.quote_name
    User = get_user_model()
    users, tokens = q(User._meta.db_table), q(ApiToken._meta.db_table)
    delegates, organisations = q(Delegate._meta.db_table), q(Organisation._meta.db_table)
    accredited = ", ".join(f"'{a}'" for a in Organisation.ACCREDITED)  # the model's constants, not input
    columns = ", ".join(f"u.{q(f.column)}" for f in _user_fields())
    sql = (f"SELECT {columns}, EXISTS (SELECT 1 FROM {delegates} d JOIN {organisations} o ON o.{q('id')} = d.{q('organisation_id')} "
           f"WHERE d.{q('user_id')} = u.{q('id')} AND o.{q('accreditation')} IN ({accredited})) AS {q('accredited_delegate')} "
           f"FROM {tokens} t JOIN {users} u ON u.{q('id')} = t.{q('user_id')} "
           f"WHERE t.{q('key_digest')} = %s AND t.{q('revoked_at')} IS NULL")
    return sql


def token_user_from(row: tuple):
    """The user of a ``token_user_sql`` row (its first columns), ``accredited_delegate`` set."""
    User = get_user_model()
    fields = _user_fields()
    user = User.from_db(connection.alias, [f.attname for f in fields], row[: len(fields)])
    user.accredited_delegate = bool(row[len(fields)])
    return user


def _user_fields():
    return [f for f in get_user_model()._meta.concrete_fields if f.name in _USER_FIELDS]  # in the model's order


def user_for_token(token: str):
    """The user of a live (unrevoked) token, or None; ``user.accredited_delegate`` says whether they may
    vote (``rounds.rules.is_accredited_delegate``). One plain query: the token is checked on every vote,
    and the ORM took longer to build this query than the database to answer it (see ``rounds.ballot``)."""
    with prepared_cursor() as cursor:
        cursor.execute(token_user_sql(), [digest(token)])
        row = cursor.fetchone()
    return token_user_from(row) if row is not None else None
