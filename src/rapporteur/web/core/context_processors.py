from django.conf import settings

from rapporteur.web.core import roles as _roles


def roles(request):
    user = request.user
    return {
        "is_secretariat": _roles.is_secretariat(user),
        "is_moderator": _roles.is_moderator(user),
        "is_delegate": _roles.is_delegate(user),
        "moderation_count": _moderation_count,  # a callable: counted only where the nav shows it
        # the chooser's languages, each named in itself (``get_available_languages`` would translate the
        # names: "English" became "Anglais" on a French page)
        "languages_in_themselves": settings.LANGUAGES,
    }


def _moderation_count() -> int:
    from rapporteur.web.contributions.selectors import moderation_count

    return moderation_count()
