"""The Global Compact for Migration process (2017–2018) as seed data: ``rapporteur seed-gcm``.

Dates and venues are from the public record (see shared/docs/GCM.md). The objectives taxonomy is
read from the engine's data file ``rapporteur/taxonomies/gcm-objectives.yaml`` so that the web
and the engine share one list.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from django.db import transaction

from rapporteur.model import StakeholderType

from .models import Phase, Process, Session, Taxonomy, Term

TAXONOMY_DIR = Path(__file__).resolve().parents[2] / "taxonomies"
K = Session.Kind

PROCESS = {
    "slug": "gcm",
    "name": "Global Compact for Safe, Orderly and Regular Migration",
    "mandate": "A/RES/71/1 (New York Declaration); modalities A/RES/71/280",
    "description": (
        "Launched by the New York Declaration for Refugees and Migrants (19 September 2016) and "
        "organised under the modalities resolution of 6 April 2017, with Mexico and Switzerland as "
        "co-facilitators. The compact was adopted in Marrakech on 10–11 December 2018 and endorsed "
        "by the General Assembly on 19 December 2018 (A/RES/73/195)."
    ),
}

PHASES = [
    (1, "Consultations", date(2017, 4, 1), date(2017, 11, 30),
     "Six informal thematic sessions, regional consultations, multi-stakeholder hearings and "
     "national consultations."),
    (2, "Stocktaking", date(2017, 12, 4), date(2017, 12, 6),
     "Preparatory meeting in Puerto Vallarta, Mexico, compiling the inputs of the consultations."),
    (3, "Intergovernmental negotiations", date(2018, 2, 5), date(2018, 7, 13),
     "Negotiations in New York on the zero draft of 5 February 2018 (22 objectives; a 23rd was "
     "added in May), in six rounds; text agreed on 13 July 2018."),
]

THEMATIC_SESSIONS = [
    (1, "Human rights of all migrants, social inclusion, cohesion, and all forms of discrimination, "
        "including racism, xenophobia and intolerance", date(2017, 5, 8), date(2017, 5, 9), "Geneva"),
    (2, "Addressing drivers of migration, including adverse effects of climate change, natural disasters "
        "and human-made crises, through protection and assistance, sustainable development, poverty "
        "eradication, conflict prevention and resolution", date(2017, 5, 22), date(2017, 5, 23), "New York"),
    (3, "International cooperation and governance of migration in all its dimensions, including at "
        "borders, on transit, entry, return, readmission, integration and reintegration",
        date(2017, 6, 19), date(2017, 6, 20), "Geneva"),
    (4, "Contributions of migrants and diasporas to all dimensions of sustainable development, "
        "including remittances and portability of earned benefits", date(2017, 7, 24), date(2017, 7, 25),
        "New York"),
    (5, "Smuggling of migrants, trafficking in persons and contemporary forms of slavery, including "
        "appropriate identification, protection and assistance to migrants and trafficking victims",
        date(2017, 9, 4), date(2017, 9, 5), "Vienna"),
    (6, "Irregular migration and regular pathways, including decent work, labour mobility, recognition "
        "of skills and qualifications and other relevant measures", date(2017, 10, 12), date(2017, 10, 13),
        "Geneva"),
]

# (phase, kind, title, start, end, venue); dates unknown to us are left empty rather than guessed.
OTHER_SESSIONS = [
    (1, K.HEARING, "Multi-stakeholder hearing (July 2017)", date(2017, 7, 26), date(2017, 7, 26), "New York"),
    (1, K.REGIONAL, "Regional consultation — Latin America and the Caribbean", date(2017, 8, 30), date(2017, 8, 31), "Santiago"),
    (1, K.REGIONAL, "Regional consultation — Western Asia", date(2017, 9, 26), date(2017, 9, 27), "Beirut"),
    (1, K.REGIONAL, "Regional consultation — Africa", date(2017, 10, 26), date(2017, 10, 27), "Addis Ababa"),
    (1, K.REGIONAL, "Regional consultation — Asia and the Pacific", None, None, "Bangkok"),
    (1, K.REGIONAL, "Regional consultation — UNECE region", None, None, "Geneva"),
    (2, K.STOCKTAKING, "Stocktaking meeting", date(2017, 12, 4), date(2017, 12, 6), "Puerto Vallarta"),
    (3, K.HEARING, "Multi-stakeholder hearing (February 2018)", date(2018, 2, 21), date(2018, 2, 21), "New York"),
    (3, K.HEARING, "Multi-stakeholder hearing (May 2018)", date(2018, 5, 21), date(2018, 5, 21), "New York"),
] + [
    (3, K.NEGOTIATION, f"Negotiation round {n}", None, None, "New York") for n in range(1, 7)
]

GUIDING_PRINCIPLES = [
    "People-centred", "International cooperation", "National sovereignty", "Rule of law and due process",
    "Sustainable development", "Human rights", "Gender-responsive", "Child-sensitive",
    "Whole-of-government approach", "Whole-of-society approach",
]


@transaction.atomic
def seed_gcm() -> Process:
    """Create (or bring up to date) the GCM process. Safe to run again: nothing is duplicated."""
    process, _ = Process.objects.update_or_create(slug=PROCESS["slug"], defaults=PROCESS)
    phases = {}
    for number, name, start, end, description in PHASES:
        phases[number], _ = Phase.objects.update_or_create(
            process=process, number=number,
            defaults={"name": name, "start_date": start, "end_date": end, "description": description},
        )
    labels = _thematic_labels()
    for number, theme, start, end, venue in THEMATIC_SESSIONS:
        title = f"Informal thematic session {number}"
        if labels.get(f"ts{number}"):
            title += f": {labels[f'ts{number}']}"
        _session(phases[1], title, K.THEMATIC, start, end, venue, theme=theme, number=number)
    for phase, kind, title, start, end, venue in OTHER_SESSIONS:
        _session(phases[phase], title, kind, start, end, venue)
    _seed_taxonomies(process)
    return process


def _thematic_labels() -> dict[str, str]:
    """Short labels of the thematic sessions, from the engine's taxonomy file (if present)."""
    path = TAXONOMY_DIR / "gcm-sessions.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {t["id"]: t["label"] for t in data.get("themes", [])}


def _session(phase, title, kind, start, end, venue, theme="", number=None) -> Session:
    lookup = {"phase": phase, "kind": kind, "number": number} if number else {"phase": phase, "title": title}
    session, created = Session.objects.get_or_create(
        **lookup,
        defaults={"title": title, "kind": kind, "start_date": start, "end_date": end, "venue": venue,
                  "theme": theme, "number": number},
    )
    if not created:  # keep the status and deadline the secretariat set; refresh the facts
        Session.objects.filter(pk=session.pk).update(
            title=title, kind=kind, start_date=start, end_date=end, venue=venue, theme=theme, number=number
        )
    return session


def _seed_taxonomies(process: Process) -> None:
    objectives = yaml.safe_load((TAXONOMY_DIR / "gcm-objectives.yaml").read_text(encoding="utf-8"))
    _taxonomy(process, "objectives", objectives["name"], objectives.get("source", ""),
              [(t["id"], t["label"], t.get("description", "")) for t in objectives["themes"]])
    _taxonomy(process, "guiding-principles", "GCM guiding principles", "A/RES/73/195, annex, para. 15",
              [(f"p{i}", label, "") for i, label in enumerate(GUIDING_PRINCIPLES, 1)])
    _taxonomy(process, "stakeholder-types", "Stakeholder types", "A/RES/71/280",
              [(t.name.lower(), t.value, "") for t in StakeholderType])


def _taxonomy(process, slug, name, source, terms) -> Taxonomy:
    taxonomy, _ = Taxonomy.objects.update_or_create(
        process=process, slug=slug, defaults={"name": name, "source": source}
    )
    for position, (code, label, description) in enumerate(terms):
        Term.objects.update_or_create(
            taxonomy=taxonomy, code=code,
            defaults={"label": label, "description": description, "position": position},
        )
    return taxonomy
