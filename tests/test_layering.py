"""Who may import whom (issue 11), read from the source: a new import that breaks a rule fails."""

from __future__ import annotations

from bench.layering import PACKAGE, imports, python_files, views_importing_views

# Privacy seals and forgets coachee data for every app; the apps tell it what it needs (their
# AppConfig.ready), so it imports only plain helpers and the security trail it writes to.
PRIVACY_MAY_IMPORT = ("debrief.privacy", "debrief.lib", "debrief.audit")


def _debrief_imports(under: str) -> dict[str, list[str]]:
    found = {}
    for path in python_files(PACKAGE / under):
        names = [n for n in imports(path) if n == "debrief" or n.startswith("debrief.")]
        found[str(path.relative_to(PACKAGE.parent))] = names
    return found


def test_privacy_imports_no_domain_app() -> None:
    wrong = {
        path: [n for n in names if not n.startswith(PRIVACY_MAY_IMPORT)]
        for path, names in _debrief_imports("privacy").items()
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_the_rule_sees_a_lazy_import(tmp_path) -> None:
    module = PACKAGE / "privacy" / "owners.py"
    assert "debrief.privacy" not in " ".join(imports(module))  # owners imports nothing of ours
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from debrief.journal.models import Reflection\n")
    assert "debrief.journal.models.Reflection" in imports(probe)


def test_no_module_imports_another_apps_views() -> None:
    crossing = [
        (importer, views)
        for importer, views in views_importing_views()
        if importer.split(".")[1] != views.split(".")[1]
    ]
    assert crossing == []
