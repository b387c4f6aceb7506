from rapporteur.web.core import roles as _roles


def roles(request):
    user = request.user
    return {
        "is_secretariat": _roles.is_secretariat(user),
        "is_moderator": _roles.is_moderator(user),
        "is_delegate": _roles.is_delegate(user),
        "moderation_count": _moderation_count,  # a callable: counted only where the nav shows it
    }


def _moderation_count() -> int:
    from rapporteur.web.contributions.selectors import moderation_count

    return moderation_count()
