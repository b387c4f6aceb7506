"""Test data built through the services, as the site builds it."""
from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group

from rapporteur.web.organisations import services as organisation_services

PASSWORD = "a-long-test-password-42"


def make_user(username: str, group: str | None = None, superuser: bool = False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username=username, password=PASSWORD, email="")
    user = User.objects.create_user(username=username, password=PASSWORD)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def make_people() -> SimpleNamespace:
    own = organisation_services.create_organisation("Migrant Voices Network", "civil society", "KEN")
    other = organisation_services.create_organisation("Diaspora Forum", "NGO", "Philippines", ecosoc_status="special")
    delegate = make_user("delegate")
    other_delegate = make_user("other")
    organisation_services.add_delegate(own, delegate)
    organisation_services.add_delegate(other, other_delegate)
    return SimpleNamespace(
        admin=make_user("admin", superuser=True),
        secretariat=make_user("secretariat", group="secretariat"),
        moderator=make_user("moderator", group="moderator"),
        delegate=delegate,
        other_delegate=other_delegate,
        member=make_user("member"),
        public=AnonymousUser(),
        own=own,
        other=other,
    )


def make_pdf(text: str) -> bytes:
    """A real PDF with ``text`` in it (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def make_docx(paragraphs: list[str]) -> bytes:
    import io

    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


STATEMENTS = {
    "Mexico": (
        "Member State", "MEX",
        "Mexico supports a compact that protects the human rights of all migrants, whatever their status. "
        "We call for regular pathways for labour migration and for the recognition of skills. "
        "Detention of migrant children must end.",
    ),
    "Philippines": (
        "Member State", "PHL",
        "The Philippines urges all States to protect the human rights of migrant workers. "
        "Remittances must become cheaper and safer to send. "
        "We call for regular pathways and fair recruitment.",
    ),
    "Hungary": (
        "Member State", "HUN",
        "Hungary rejects any obligation to open regular pathways for migration. "
        "Border protection is a sovereign duty of each State. "
        "Migration is not a human right.",
    ),
    "Kenya": (
        "Member State", "KEN",
        "Kenya calls for cooperation on the drivers of migration, including climate change and conflict. "
        "The human rights of all migrants must be protected. "
        "Remittances from the diaspora are vital for development.",
    ),
}


def publish_statements(session, statements=STATEMENTS):
    """Published contributions from several Member States, as an import would make them."""
    from rapporteur.model import Stakeholder, StakeholderType
    from rapporteur.web.contributions.models import Contribution

    made = []
    for name, (type_, iso3, text) in statements.items():
        org = organisation_services.get_or_create_organisation_for(
            Stakeholder(name, StakeholderType(type_), iso3), "test"
        )
        made.append(Contribution.objects.create(
            session=session, organisation=org, text=text, state=Contribution.State.PUBLISHED
        ))
    return made


# ------------------------------------------------------------------------------ rating rounds
ROUND_DELEGATES = {
    # user name: (organisation, type, country) — accredited by right (States) or by ECOSOC status
    "mexico": ("Mexico", "Member State", "MEX"),
    "kenya": ("Kenya", "Member State", "KEN"),
    "philippines": ("Philippines", "Member State", "PHL"),
    "germany": ("Germany", "Member State", "DEU"),
    "ghana": ("Ghana", "Member State", "GHA"),
    "caritas": ("Caritas Internationalis", "civil society", "VAT"),
}


def make_round_delegates(names=tuple(ROUND_DELEGATES)) -> dict:
    """Delegates of accredited organisations in several regions, by user name."""
    users = {}
    for name in names:
        org_name, type_, iso3 = ROUND_DELEGATES[name]
        org = organisation_services.create_organisation(
            org_name, type_, iso3, ecosoc_status="general" if type_ == "civil society" else "")
        user = make_user(name)
        organisation_services.add_delegate(org, user)
        users[name] = user
    return users


def key_point_labels() -> list[str]:
    """Real sentences of the factory statements, as a synthesis would label its key points."""
    return [
        "The human rights of all migrants must be protected.",
        "Hungary rejects any obligation to open regular pathways for migration.",
        "Remittances must become cheaper and safer to send.",
        "We call for regular pathways and fair recruitment.",
        "Border protection is a sovereign duty of each State.",
    ]


def make_synthesis_with_key_points(session, labels=None, status="draft"):
    """A finished synthesis version whose data holds key points (without running the engine).

    The document follows the synthesis schema (``rapporteur.schema``), as the engine's does: each key
    point is made by one quoted point whose text is its label."""
    from rapporteur.schema import SCHEMA_VERSION, validate_synthesis
    from rapporteur.web.syntheses.models import Synthesis

    labels = labels or key_point_labels()
    regions = [{"Africa": 1, "Americas": 1, "Asia": 1}, {"Europe": 1}, {"Asia": 1, "Africa": 1}, {"Americas": 1, "Asia": 1},
               {"Europe": 1}]

    def quoted(i: int, label: str) -> dict:
        return {"id": f"p{i + 1}", "text": label, "stakeholder": f"State {i + 1}", "type": "Member State",
                "country": None, "region": None, "subregion": None, "contribution": f"c{i + 1}", "source": None,
                "session": None, "start": 0, "end": len(label), "theme": None, "stance": "neutral",
                "stance_cue": None, "key_point": f"K{i + 1}", "match": 1.0}

    key_points = [
        {"id": f"K{i + 1}", "label": label, "label_point": f"p{i + 1}", "label_start": 0, "label_end": len(label),
         "keywords": [], "theme": None, "theme_label": None,
         "n_stakeholders": sum(regions[i % len(regions)].values()), "n_points": 2,
         "stakeholders": [f"State {i + 1}"], "regions": regions[i % len(regions)], "types": {"Member State": 1},
         "point_ids": [f"p{i + 1}"], "points": [quoted(i, label)], "against": {}}
        for i, label in enumerate(labels)
    ]
    item = {"regions": {}, "types": {}, "rule": "made by the test factory"}
    data = validate_synthesis({
        "schema_version": SCHEMA_VERSION,
        "title": f"Synthesis of {session.title}",
        "about": None,
        "taxonomy": {"name": "test", "themes": []},
        "counts": {"contributions": 4, "stakeholders": 4, "speakers_analysed": 4, "key_points": len(labels)},
        "key_points": key_points,
        "convergence": [{"number": 1, "key_point": "K1", "label": labels[0], "n_stakeholders": 3,
                         "point_ids": ["p1"], "points": [quoted(0, labels[0])], **item}],
        "divergence": [{"number": 1, "key_point": "K4", "label": labels[3], "kind": "disputed", "point_ids": ["p4"],
                        "expected": None, "addressed_by": None, "of_stakeholders": None, "sides": [],
                        "rule": item["rule"]}],
        "representation": {"speakers": 4, "member_states": 4, "regions": [], "subregions": [], "types": []},
        "recommendations": [], "practices": [], "unclustered_point_ids": [], "skipped": [],
    })
    version = Synthesis.objects.filter(session=session).count() + 1
    return Synthesis.objects.create(session=session, version=version, status=status, data=data, contribution_count=4)
