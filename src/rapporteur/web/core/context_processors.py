from rapporteur.web.core import roles as _roles


def roles(request):
    user = request.user
    return {
        "is_secretariat": _roles.is_secretariat(user),
        "is_moderator": _roles.is_moderator(user),
        "is_delegate": _roles.is_delegate(user),
    }
