"""Front matter of a statement: what a document carries around what its speaker says.

A line is front matter, never fused with the sentence after it and never analysed, when it is, whole:

- a delivery note: "Check against delivery", "Seul le prononcé fait foi", "Cotejar con el discurso
  pronunciado", "Проверить по факту произнесения", "请以实际发言为准", "يرجى المراجعة عند الإلقاء";
- a document's label: "Statement by Italy", "Submission to the informal thematic session",
  "Contribution to …", "Permanent Mission of … to the United Nations", "Déclaration de …",
  "Intervención de …", "Aporte a …" (a line of at most ``LABEL_MAX_WORDS`` words, with no final
  full stop);
- a dateline: a short line (at most ``DATELINE_MAX_WORDS`` words, no full stop) that names a month
  and a year, or gives a date in figures ("Geneva, 26 June 2017", "University submission, June 2017").

These are read in the six UN languages at once: segmentation comes before a point's language is read.
``text.segment`` also makes front matter of the short lines that open a document before its first
sentence (a subtitle) and its signature, the short lines after its last sentence.
"""
from __future__ import annotations

import re

LABEL_MAX_WORDS = 16
DATELINE_MAX_WORDS = 8

_DELIVERY = (
    r"(?:please\s+)?check\s+against\s+(?:actual\s+)?delivery|as\s+delivered|embargoed?\b.{0,40}|"
    r"seul\s+le\s+(?:texte\s+)?prononcé\s+fait\s+foi|vérifier\s+(?:à|au)\s+(?:l['’]audition|prononcé)|"
    r"(?:cotejar|verificar)\s+con(?:\s+el)?\s+(?:discurso\s+)?pronunciado|sólo\s+(?:vale|es\s+válido)\s+el\s+(?:texto\s+)?pronunciado|"
    r"проверить\s+(?:по\s+факту\s+|при\s+)?произнесени[ия]|сверить\s+с\s+произнесенным(?:\s+текстом)?|"
    r"请以(?:实际)?(?:发言|宣读)为准|以发言为准|"
    r"(?:يرجى\s+)?(?:المراجعة|التحقق)\s+(?:عند|أثناء|مقابل)\s+الإلقاء"
)
_LABEL = (
    r"(?:(?:joint\s+|oral\s+|written\s+|opening\s+|closing\s+)?(?:statement|remarks|intervention|submission|contribution|"
    r"input|address|speech|position\s+paper|speaking\s+notes?)\s+(?:by|of|from|to|on\s+behalf\s+of|at|for)\b|"
    r"(?:permanent\s+)?mission\s+of\b|(?:the\s+)?permanent\s+representative\s+of\b|"
    r"(?:déclaration|intervention|allocution|contribution|soumission|discours)\s+(?:de|du|des|d['’]|à|au|aux|par)\b|"
    r"mission\s+permanente\s+d|"
    r"(?:declaración|intervención|aporte|contribución|discurso|ponencia|presentación)\s+(?:de|del|a|al|por|ante)\b|"
    r"misión\s+permanente\s+d|"
    r"(?:заявление|выступление|вклад)\s|постоянное\s+представительство\b|"
    r"(?:在|关于).{0,30}(?:上的)?(?:发言|声明)$|常驻联合国代表团|"
    r"(?:بيان|كلمة|مداخلة|مساهمة)\s|البعثة\s+الدائمة)"
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    r"يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"
)
_DELIVERY_LINE = re.compile(rf"^\W*(?:{_DELIVERY})\W*$", re.IGNORECASE)
_LABEL_LINE = re.compile(rf"^\W*(?:{_LABEL})", re.IGNORECASE)
_DATE = re.compile(rf"\b(?:{_MONTHS})\b[^.]*\b(?:19|20)\d\d\b|\b\d{{1,2}}[./-]\d{{1,2}}[./-](?:19|20)?\d\d\b|"
                   r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def front_matter_kind(line: str) -> str | None:
    """"delivery", "dateline" or "label" when ``line`` (one line of a document, whole) is front matter
    (see the module), else None.

    >>> front_matter_kind("Check against delivery")
    'delivery'
    >>> front_matter_kind("University submission, June 2017")
    'dateline'
    >>> front_matter_kind("Statement by Italy")
    'label'
    >>> front_matter_kind("In June 2017, we adopted a national strategy on migration.") is None
    True
    """
    text = " ".join(line.split())
    if not text:
        return None
    if _DELIVERY_LINE.match(text):
        return "delivery"
    words = len(_WORD.findall(text))
    closed = text.endswith((".", "!", "?", "。", "؟"))
    if words <= DATELINE_MAX_WORDS and not closed and _DATE.search(text):
        return "dateline"
    if _LABEL_LINE.match(text) and words <= LABEL_MAX_WORDS and not closed:
        return "label"
    return None
