from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet

from rapporteur.web.core.db import prepared_cursor

from .models import ApiToken, digest


def tokens_of(user) -> QuerySet[ApiToken]:
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def user_for_token(token: str):
    """The user of a live (unrevoked) token, or None; ``user.accredited_delegate`` says whether they may
    vote (``rounds.rules.is_accredited_delegate``). One plain query: the token is checked on every vote,
    and the ORM took longer to build this query than the database to answer it (see ``rounds.ballot``)."""
    from rapporteur.web.organisations.models import Delegate, Organisation

    q = connection.ops.quote_name
    User = get_user_model()
    # what the permission rules read; the rest of the user is loaded if asked for (deferred fields)
    fields = [f for f in User._meta.concrete_fields if f.name in ("id", "username", "is_active", "is_staff", "is_superuser")]
    users, tokens = q(User._meta.db_table), q(ApiToken._meta.db_table)
    delegates, organisations = q(Delegate._meta.db_table), q(Organisation._meta.db_table)
    accredited = ", ".join(["%s"] * len(Organisation.ACCREDITED))
    columns = ", ".join(f"u.{q(f.column)}" for f in fields)
    sql = (f"SELECT {columns}, EXISTS (SELECT 1 FROM {delegates} d JOIN {organisations} o ON o.{q('id')} = d.{q('organisation_id')} "
           f"WHERE d.{q('user_id')} = u.{q('id')} AND o.{q('accreditation')} IN ({accredited})) "
           f"FROM {tokens} t JOIN {users} u ON u.{q('id')} = t.{q('user_id')} "
           f"WHERE t.{q('key_digest')} = %s AND t.{q('revoked_at')} IS NULL")
    with prepared_cursor() as cursor:
        cursor.execute(sql, [*Organisation.ACCREDITED, digest(token)])
        row = cursor.fetchone()
    if row is None:
        return None
    user = User.from_db(connection.alias, [f.attname for f in fields], row[:-1])
    user.accredited_delegate = bool(row[-1])
    return user
