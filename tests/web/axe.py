"""Accessibility checks with axe-core (vendored in tests/web/vendor/axe-core) inside Playwright pages.

``serious_violations(page)`` injects axe into the page (and into nothing else: the sandboxed report
frame is checked by visiting the report's own URL) and returns the violations whose impact is
serious or critical, each as "rule-id: help (n nodes: selector, …)" so a failing test says what to fix.
"""
from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        targets = ", ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                            for node in violation["nodes"][:3])
        found.append(f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes: {targets})")
    return found


def assert_accessible(page, what: str = "") -> None:
    """Fail with the list of serious or critical axe violations on ``page``."""
    found = serious_violations(page)
    assert not found, f"axe on {what or page.url}:\n  " + "\n  ".join(found)
