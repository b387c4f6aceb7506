from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapporteur.web.core.http import require

from . import services
from .models import ApiToken


@require_POST
def create_token(request):
    require(request, "api.add_apitoken")
    request.session["new_api_token"] = services.issue_token(request.user, request.POST.get("name", "").strip())
    messages.success(request, _("Your token is made: copy it now, it is shown only once."))
    return redirect("dashboards:delegate")


@require_POST
def revoke_token(request, pk):
    token = ApiToken.objects.filter(pk=pk, revoked_at__isnull=True).first()
    if token is None or not request.user.has_perm("api.delete_apitoken", token):
        raise Http404("No such token")
    services.revoke_token(token)
    messages.success(request, _("The token is revoked."))
    return redirect("dashboards:delegate")
