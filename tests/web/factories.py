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
