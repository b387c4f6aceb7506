"""The site in the six UN languages (issue 15, item 5): the visitor chooses (or the browser says), French and
Spanish are translated completely, Arabic is laid out right to left, and what was said stays as said."""
from __future__ import annotations

import datetime
import gettext
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from .factories import key_point_labels, make_round_delegates, make_synthesis_with_key_points

LOCALE = Path(settings.LOCALE_PATHS[0])
COMPLETE = ("fr", "es")  # translated in full; ar, zh_Hans and ru have the chooser and the main navigation


@pytest.fixture(autouse=True)
def _back_to_english():
    """A request leaves its language active in the thread: the next test starts in the site's default."""
    yield
    translation.deactivate()


# ------------------------------------------------------------------------------------------ catalogues
def _unquote(s: str) -> str:
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s.strip()[1:-1])


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list: one per plural form), flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry, key = {"msgctxt": None, "msgid_plural": None, "msgstr": [], "flags": []}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += [f.strip() for f in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if key == "msgstr":
                    entry["msgstr"][-1] += _unquote(line)
                else:
                    entry[key] += _unquote(line)
            else:
                keyword, value = line.split(" ", 1)
                key = "msgstr" if keyword.startswith("msgstr") else keyword
                if key == "msgstr":
                    entry["msgstr"].append(_unquote(value))
                else:
                    entry[key] = _unquote(value)
        entries.append(entry)
    return entries


def _messages(lang: str) -> list[dict]:
    return [e for e in read_po(LOCALE / lang / "LC_MESSAGES" / "django.po") if e["msgid"]]


def _lookup(catalogue: gettext.GNUTranslations, entry: dict) -> list[str]:
    context = entry["msgctxt"]
    if entry["msgid_plural"] is None:
        return [catalogue.pgettext(context, entry["msgid"]) if context else catalogue.gettext(entry["msgid"])]
    one, many = entry["msgid"], entry["msgid_plural"]
    return [catalogue.npgettext(context, one, many, n) if context else catalogue.ngettext(one, many, n) for n in (1, 2)]


@pytest.mark.parametrize("lang", COMPLETE)
def test_french_and_spanish_are_translated_completely(lang):
    entries = _messages(lang)
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not e["msgstr"] or not all(s.strip() for s in e["msgstr"])]
    assert untranslated == []
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    header = read_po(LOCALE / lang / "LC_MESSAGES" / "django.po")[0]
    assert "fuzzy" not in header["flags"] and f"Language: {lang}\n" in header["msgstr"][0]
    placeholder = re.compile(r"%\(\w+\)[sdr]|\{\w+\}")
    for e in entries:  # every placeholder kept (a singular form may drop the count: "There is a problem")
        wanted = set(placeholder.findall(e["msgid_plural"] or e["msgid"]))
        assert set(placeholder.findall(e["msgstr"][-1])) == wanted, e["msgid"]


@pytest.mark.parametrize("lang", ("fr", "es", "ar", "zh_Hans", "ru"))
def test_the_compiled_catalogue_is_the_po_file(lang, tmp_path):
    """The committed .mo says what the .po says (CI does not run compilemessages)."""
    folder = LOCALE / lang / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as f:
        committed = gettext.GNUTranslations(f)
    for e in _messages(lang):
        if all(e["msgstr"]):
            assert _lookup(committed, e) == (e["msgstr"] if e["msgid_plural"] else e["msgstr"][:1]), e["msgid"]
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "fresh.mo"), str(folder / "django.po")],
                       check=True)
        with open(tmp_path / "fresh.mo", "rb") as f:
            fresh = gettext.GNUTranslations(f)
        assert fresh._catalog == committed._catalog


def test_the_six_languages_are_offered_each_in_itself():
    assert [code for code, _ in settings.LANGUAGES] == ["ar", "zh-hans", "en", "fr", "ru", "es"]
    assert dict(settings.LANGUAGES)["ar"] == "العربية" and dict(settings.LANGUAGES)["zh-hans"] == "中文"
    assert settings.LANGUAGE_CODE == "en"
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")


# ----------------------------------------------------------------------------------------------- pages
def _choose(client, language: str, next_url: str = "/"):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    return response


def _pages(gcm, session) -> dict[str, str]:
    return {"home": reverse("core:home"), "process": reverse("processes:process", args=[gcm.slug]),
            "session": reverse("processes:session", args=[session.pk])}


def test_the_chooser_is_a_form_that_works_without_javascript(client, db):
    page = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en" dir="ltr">' in page
    chooser = page.split('class="language-chooser"')[1].split("</form>")[0]
    assert f'action="{reverse("set_language")}"' in page and 'name="csrfmiddlewaretoken"' in chooser
    assert '<input type="hidden" name="next" value="/">' in chooser
    assert '<label for="language-choice">Language</label>' in chooser and '<select id="language-choice" name="language">' in chooser
    assert '<button type="submit"' in chooser
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in chooser and f">{name}</option>" in chooser
    assert '<option value="en" lang="en" selected>English</option>' in chooser


def test_choosing_french_gives_the_pages_in_french(client, gcm, session):
    pages = _pages(gcm, session)
    _choose(client, "fr", pages["session"])
    home = client.get(pages["home"]).content.decode()
    assert '<html lang="fr" dir="ltr">' in home
    assert "Aller au contenu" in home and "Skip to content" not in home
    assert ">Processus</a>" in home and ">Processes</a>" not in home
    assert "Changer de langue" in home and "Change language" not in home
    assert '<option value="fr" lang="fr" selected>Français</option>' in home
    process = client.get(pages["process"]).content.decode()
    assert '<html lang="fr" dir="ltr">' in process
    assert ">Calendrier</h2>" in process and "Timeline" not in process
    assert "Sessions de la phase 1" in process and "Sessions of phase" not in process
    assert "<td>session thématique</td>" in process and "<td>thematic session</td>" not in process  # a choice
    page = client.get(pages["session"]).content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert "Aucune synthèse n’a encore été publiée pour cette session." in page
    assert "No synthesis has been published for this session yet." not in page
    assert ">Cycles de notation</h2>" in page and "Rating rounds" not in page
    assert "ouverte aux contributions" in page and "open for contributions" not in page
    assert gcm.name in page and session.title in page  # names stay as they are


def test_the_browser_s_language_is_taken_without_a_choice(client, gcm, session):
    pages = _pages(gcm, session)
    page = client.get(pages["session"], HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="es" dir="ltr">' in page
    assert "Todavía no se ha publicado ninguna síntesis de esta sesión." in page and "Rating rounds" not in page
    process = client.get(pages["process"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert ">Calendario</h2>" in process and "Timeline" not in process
    home = client.get(pages["home"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Cambiar de idioma" in home and "Change language" not in home
    # the visitor's choice wins over the browser
    _choose(client, "fr")
    assert '<html lang="fr" dir="ltr">' in client.get(pages["home"], HTTP_ACCEPT_LANGUAGE="es").content.decode()


def test_arabic_is_laid_out_right_to_left(client, gcm, session):
    _choose(client, "ar")
    page = client.get(reverse("processes:session", args=[session.pk])).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "تغيير اللغة" in page and "Change language" not in page  # the chooser, in Arabic
    _choose(client, "zh-hans")
    assert '<html lang="zh-hans" dir="ltr">' in client.get("/").content.decode()


def test_the_stylesheet_reads_in_both_directions():
    css = (Path(settings.WEB_DIR) / "core" / "static" / "rapporteur" / "site.css").read_text()
    assert not re.search(r"(?<![\w-])(left|right)\s*:|(margin|padding|border)-(left|right)|text-align:\s*(left|right)", css)
    assert "inset-inline-start" in css and "border-inline-start" in css


# ------------------------------------------------------------------------------------- said as said
SPANISH = "Los derechos humanos de todos los migrantes deben protegerse."
ENGLISH = "Remittances must become cheaper and safer to send."


def _quote(text: str, language: str) -> dict:
    return {"id": "p1", "text": text, "stakeholder": "Mexico", "region": "Americas", "language": language}


def test_quotes_and_key_point_labels_stay_as_said_in_french(client, gcm, session, people):
    from rapporteur.web.drafts.models import DraftVersion
    from rapporteur.web.rounds import services as round_services

    labels = [SPANISH, ENGLISH, *key_point_labels()[2:]]
    synthesis = make_synthesis_with_key_points(session, labels=labels, status="published")
    coverage = {
        "synthesis": {"title": "the published syntheses", "key_points": 2, "convergence": 1},
        "draft": {"paragraphs": 1, "notes": []},
        "key_points": [{"id": "K1", "label": SPANISH, "n_stakeholders": 3, "convergence": True, "reflected": True,
                        "paragraphs": ["1"], "against": []},
                       {"id": "K2", "label": ENGLISH, "n_stakeholders": 1, "convergence": False, "reflected": False,
                        "paragraphs": [], "against": []}],
        "missing": [], "unsupported": [], "settled": [],
        "paragraphs": [{"id": "1", "text": "Migrants' rights are protected.", "key_points": [
            {"id": "K1", "label": SPANISH, "probability": 0.9, "side": 0.8, "reflects": True,
             "quotes": [_quote(SPANISH, "es"), _quote(ENGLISH, "en")]}]}],
    }
    DraftVersion.objects.create(process=gcm, number=1, title="Zero draft", dated=datetime.date(2018, 2, 5),
                                file_name="zero.txt", text="1. Migrants' rights are protected.", split="numbered paragraphs",
                                status="ready", coverage=coverage, published_at=timezone.now())
    _choose(client, "fr")

    page = client.get(reverse("drafts:detail", args=[gcm.slug, 1])).content.decode()
    assert '<html lang="fr" dir="ltr">' in page and "Paragraphe par paragraphe" in page and "reflète" in page
    assert f'<p lang="es" dir="auto">“{SPANISH}”</p>' in page
    assert f'<p lang="en" dir="auto">“{html.escape(ENGLISH)}”</p>' in page
    assert f"<span dir=\"auto\">“{SPANISH}”</span>" in page  # the key point's label, as said

    # the synthesis document is served as stored, whatever the visitor's language
    response = client.get(reverse("syntheses:json", args=[synthesis.pk]))
    assert response.json() == synthesis.data
    assert [kp["label"] for kp in response.json()["key_points"]] == labels

    # a rating round puts the labels to the vote verbatim
    round = round_services.open_round(session, synthesis=synthesis, by=people.secretariat)
    statements = list(round.statements.values_list("text", flat=True))
    assert SPANISH in statements and set(statements) <= set(labels)
    delegates = make_round_delegates(("mexico",))
    client.force_login(delegates["mexico"])
    _choose(client, "fr")
    page = client.get(reverse("rounds:detail", args=[round.pk])).content.decode()
    assert f"Déclaration 1 sur {len(statements)}" in page and "Statement 1 of" not in page
    card = page.split('class="card-statement" tabindex="-1" dir="auto">')[1].split("</blockquote>")[0]
    assert card in [html.escape(s) for s in statements]


# ------------------------------------------------------------------------------------ nothing left out
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\w+\}|<[^>]+>")


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = " ".join(re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page) + " " + attributes
    return re.sub(r"\s+", " ", html.unescape(text))


def _fragments(msgid: str) -> list[str]:
    """The literal parts of a message long enough to tell (placeholders and tags cut out)."""
    return [f.strip() for f in _PLACEHOLDER.split(msgid) if len(f.strip()) >= 14]


def test_no_english_is_left_on_the_french_pages(client, gcm, session, people):
    """Every catalogue message the English page shows is gone from the French page (unless the two say the same)."""
    make_synthesis_with_key_points(session, status="published")
    urls = [reverse("core:home"), reverse("processes:process", args=[gcm.slug]),
            reverse("processes:session", args=[session.pk]), reverse("drafts:list", args=[gcm.slug]),
            reverse("login"), "/no-such-page/"]
    client.force_login(people.secretariat)
    urls += [reverse("dashboards:secretariat"), reverse("contributions:moderation"), reverse("organisations:list")]
    french = {e["msgid"]: e["msgstr"] for e in _messages("fr")}
    data = " ".join(str(v) for v in (gcm.name, gcm.description, session.title, session.theme,
                                     *session.phase.process.phases.values_list("name", "description")))
    checked = 0
    for url in urls:
        english_page = _visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
        french_page = _visible_text(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
        for msgid, msgstrs in french.items():
            if msgid in msgstrs:
                continue  # the same in both languages
            for fragment in _fragments(msgid):
                if fragment in english_page and fragment not in data and not any(fragment in s for s in msgstrs):
                    checked += 1
                    assert fragment not in french_page, (url, fragment)
    assert checked > 60


def test_each_language_is_named_in_itself_on_every_page(client, db):
    """The browser walk found "English" shown as "Anglais" on French pages (Django translates the names)."""
    for language in ("fr", "es", "ar"):
        _choose(client, language)
        chooser = client.get(reverse("core:home")).content.decode().split('class="language-chooser"')[1]
        for code, name in settings.LANGUAGES:
            assert f">{name}</option>" in chooser, (language, name)
    from django.utils import translation

    translation.activate("en")


def test_the_kind_of_a_refused_markup_file_is_in_the_page_s_language(db):
    from django.utils import translation

    from rapporteur.web.core.uploads import markup_kind

    with translation.override("fr"):
        assert markup_kind(b"<html><body>x</body></html>") == "un document HTML"
    with translation.override("es"):
        assert markup_kind(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>") == "una imagen SVG"
