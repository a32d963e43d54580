"""One registry for what a process keeps in memory about coachees; erasure reaches them all.

The erasing process forgets at once; any other process forgets at its next request because
the erasure moved the memory generation on. Here "another process" is played by moving the
generation without forgetting anything locally, exactly what this process sees when a cron
job erased someone; ``test_memory_processes.py`` does it with real processes.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.insights.models import SessionSummary
from debrief.journal.models import Answer
from debrief.lib import charts, words
from debrief.privacy import keystore, memory, owners
from debrief.privacy.models import MemoryGeneration
from debrief.search import index
from tests.conftest import make_coachee, make_session

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "privacy.keystore",
    "privacy.owners",
    "lib.words",
    "lib.charts",
    "search.index",
    "search.places",
    "prompts.parsed",
}
# Module-level state that is not coachee data, each with the reason.
NOT_COACHEE_DATA = {
    "debrief/jobs/registry.py": "the scheduled jobs, by name",
    "debrief/journal/fields.py": "field-name parsers, fixed at import",
    "debrief/prompts/kinds.py": "the answer kinds, fixed at import",
    "debrief/privacy/memory.py": "the registry itself",
    "debrief/exports/dossier_jobs.py": "the dossier jobs a thread is drawing, while it draws",
    "debrief/accounts/templatetags/site_menu.py": "the signed-in menu's links per roles and page",
}
# Stores registered from another module (their app's ready, or a receivers module).
REGISTERED_ELSEWHERE = {
    "debrief/privacy/keystore.py": "debrief/privacy/apps.py",
    "debrief/privacy/owners.py": "debrief/privacy/apps.py",
    "debrief/lib/words.py": "debrief/privacy/apps.py",
    "debrief/lib/charts.py": "debrief/privacy/apps.py",
}
_STORE = re.compile(r"^(_\w+(: [^=]+)? = (\{\}|dict\(|OrderedDict\()|@lru_cache)", re.M)


def _held() -> dict[str, bool]:
    store = keystore._keystore
    return {
        "keys": bool(store and store._cache),
        "words": bool(words._cache),
        "charts": charts._line.cache_info().currsize + charts._bar.cache_info().currsize > 0,
        "search": bool(index._entries),
    }


def _warm(client: Client, alice: User) -> None:
    priya = make_coachee(alice, "Priya Shah")
    for number in (1, 2, 3):
        session = make_session(priya, number=number)
        Answer.objects.create(
            reflection=session.reflection, prompt_key="main_topics", text="Board meeting nerves."
        )
    for url in (
        reverse("coachee_detail", args=[priya.code]),
        reverse("insights") + f"?coachee={priya.code}",
        reverse("search") + "?q=board",
    ):
        assert client.get(url).status_code == 200
    assert all(_held().values()), _held()


def test_every_store_of_coachee_data_is_registered() -> None:
    assert {s.name for s in memory.stores()} >= EXPECTED
    assert all(s.holds for s in memory.stores())


def test_no_module_keeps_a_store_the_registry_does_not_know() -> None:
    unknown = []
    for path in sorted((ROOT / "debrief").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if "migrations" in rel or rel in NOT_COACHEE_DATA or not _STORE.search(path.read_text()):
            continue
        registering = ROOT / REGISTERED_ELSEWHERE.get(rel, rel)
        if "memory.register(" not in registering.read_text():
            unknown.append(rel)
    assert unknown == []


def test_an_erasure_in_another_process_empties_every_store_at_the_next_request(
    alice_client: Client, alice: User
) -> None:
    _warm(alice_client, alice)
    Client().get(reverse("account_login"))  # a request, no erasure: nothing is forgotten
    assert all(_held().values()), _held()
    # Another process erased someone: it moved the generation and forgot in its own memory.
    MemoryGeneration.objects.filter(pk=1).update(value=F("value") + 1)
    Client().get(reverse("account_login"))
    assert not any(_held().values()), _held()
    assert not owners._coachee_codes and not owners._reflection_coachees


def test_erasing_here_forgets_the_coachee_at_once_and_moves_the_generation(
    alice_client: Client, alice: User
) -> None:
    _warm(alice_client, alice)
    before = MemoryGeneration.objects.get(pk=1).value
    priya = alice.coachees.get()
    code = priya.code
    reauthenticated = alice_client.post(
        reverse("account_reauthenticate"), {"password": "correct horse battery staple"}
    )
    assert reauthenticated.status_code == 302
    erase = reverse("coachee_erase", args=[code])
    response = alice_client.post(erase, {"confirm_name": priya.name})
    assert response.status_code == 302
    assert MemoryGeneration.objects.get(pk=1).value > before
    store = keystore._keystore
    assert store is None or code not in store._cache
    assert not index.cached_text(alice.pk)
    assert not SessionSummary.objects.exists()  # her theme terms went with her reflections


def test_a_key_deleted_under_a_rolled_back_generation_is_still_noticed(
    alice_client: Client, alice: User
) -> None:
    # A database put back from before an erasure brings the old generation with it; the key
    # directory is not rolled back, and its change is enough.
    _warm(alice_client, alice)
    Client().get(reverse("account_login"))
    priya = alice.coachees.get()
    (Path(settings.DEBRIEF_KEYS_DIR) / f"{priya.code}.key").unlink()
    Client().get(reverse("account_login"))
    assert not any(_held().values()), _held()
