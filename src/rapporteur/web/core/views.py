from django.shortcuts import render

from rapporteur.web.processes import selectors as process_selectors


def home(request):
    return render(request, "core/home.html", {"processes": process_selectors.process_list()})
