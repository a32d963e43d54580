"""A long PDF is drawn in two parts at once (lib/pdf.py) and joined as one (lib/pdf_draw.py).

The dossier is fetched through its download URL, as a coach gets it; the join and the worker's
fetcher are checked on their own as well.
"""

from __future__ import annotations

import gc
import io
import os
import re
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from debrief.accounts.models import User
from debrief.exports import render
from debrief.journal.models import Answer
from debrief.lib import pdf, pdf_draw
from tests import pdf_worker_dies
from tests.conftest import make_coachee, make_session
from tests.test_export import reauthenticate

SESSIONS = render.TWO_PARTS_FROM + 2


def _text(content: bytes, *args: str) -> str:
    done = subprocess.run(
        ["pdftotext", *args, "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item)
                assert page is not None, item.title
                found.append((str(item.title), page))

    walk(reader.outline)
    return found


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The parts this process drew itself (the workers' are not seen here)."""
    drawn: list[str] = []
    own = pdf.render_pdf

    def counting(html: str, **kwargs: Any) -> bytes:
        drawn.append(html)
        return own(html, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counting)
    return drawn


def _dossier(client: Client, coach: User) -> bytes:
    coachee = make_coachee(coach, name="Quin Delacroix-Ferreira")
    first = date(2026, 1, 5)
    for n in range(1, SESSIONS + 1):
        session = make_session(coachee, n, date=first + timedelta(weeks=n))
        Answer.objects.create(
            reflection=session.reflection,
            prompt_key="main_topics",
            text=f"Topic number {n}. " + "A longer paragraph of what was said. " * 30,
        )
    reauthenticate(client)
    response = client.get(reverse("export_coachee_pdf", args=[coachee.code]) + "?details=name")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_a_long_dossier_is_drawn_in_two_parts_and_reads_as_one(
    alice_client: Client, alice: User, counted: list[str]
) -> None:
    content = _dossier(alice_client, alice)
    assert len(counted) == 1, "the second half was drawn here, not by a worker"
    pages = _text(content).split("\f")[:-1]
    total = len(pages)
    assert total > 2
    # Every page numbered once, in order, across both parts.
    for n, page in enumerate(pages, 1):
        assert re.findall(r"Page \d+ of \d+", page) == [f"Page {n} of {total}"], (n, page[-80:])
    text = " ".join(" ".join(pages).split())
    assert f"Every session: {SESSIONS}." in text  # the cover counts both parts' sessions
    for n in range(1, SESSIONS + 1):
        assert f"Topic number {n}." in text
    # The second part starts on a page of its own, with its first session at the top.
    half = SESSIONS // 2
    opening = [n for n, page in enumerate(pages) if f"Session {half + 1} with Quin" in page]
    assert " ".join(pages[opening[0]].split()).startswith(f"Session {half + 1} with Quin")
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata is not None and reader.metadata.title == (
        "Quin Delacroix-Ferreira: coaching dossier"
    )
    assert reader.root_object["/Lang"] == "en-GB"
    # Both parts' sessions sit under the cover's title, as in one document.
    cover, sessions = reader.outline
    assert not isinstance(cover, list) and isinstance(sessions, list)
    assert str(cover.title) == "Quin Delacroix-Ferreira: coaching dossier"
    under = [str(item.title) for item in sessions if not isinstance(item, list)]
    assert [t.split(",")[0] for t in under if " with Quin" in t] == [
        f"Session {n} with Quin Delacroix-Ferreira" for n in range(1, SESSIONS + 1)
    ]
    # Each session's bookmark points at the page its heading is on, in both parts.
    marks = dict(_outline(reader))
    for n in (1, half, half + 1, SESSIONS):
        title = next(t for t in marks if t.startswith(f"Session {n} with Quin"))
        assert title.split(",")[0] in pages[marks[title]], (n, marks[title])


def test_a_worker_that_cannot_start_leaves_the_same_pdf_drawn_here(
    alice_client: Client, alice: User, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no processes")

    monkeypatch.setattr(pdf, "_Worker", broken)
    content = _dossier(alice_client, alice)
    assert len(counted) == 2  # both parts drawn here
    pages = _text(content).split("\f")[:-1]
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, 1))
    assert f"Topic number {SESSIONS}." in " ".join(" ".join(pages).split())


def test_a_short_pdf_is_one_part_drawn_here(counted: list[str]) -> None:
    content = pdf.render_pdf_parts(["<p>Only this</p>"])
    assert len(counted) == 1
    assert "Page 1 of 1" in _text(content)


def test_the_page_number_is_centred_at_the_foot() -> None:
    page = '<div style="break-after: page">{}</div>'
    content = pdf_draw.join(
        [pdf.render_pdf(page.format("One") * 2), pdf.render_pdf(page.format("Two"))]
    )
    pages = _text(content, "-bbox").split("<page ")[1:]
    assert len(pages) == 3
    for n, page in enumerate(pages, 1):
        width, height = (float(x) for x in re.findall(r'(?:width|height)="([\d.]+)"', page)[:2])
        words = re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        )
        foot = words[-4:]
        assert [w[3] for w in foot] == ["Page", str(n), "of", "3"]
        left, right = float(foot[0][0]), float(foot[-1][1])
        assert abs((left + right) / 2 - width / 2) < 1.0, (left, right, width)
        assert height - 30 < float(foot[0][2]) < height - 15  # in the bottom margin


def test_a_worker_fetches_only_the_static_files_it_is_given(tmp_path: Any) -> None:
    # pdf_draw.draw is what a worker runs; here it runs in the test's process (its collector
    # is switched back on after).
    css = tmp_path / "pdf.css"
    css.write_text("p { color: #123456 }")
    prefix = pdf.BASE + "static/"
    html = (
        f'<link rel="stylesheet" href="{prefix}exports/pdf.css">'
        f'<link rel="stylesheet" href="{prefix}exports/other.css">'
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        f'<img src="{prefix}../settings.py"><p>Still drawn</p>'
    )
    try:
        body, refused = pdf_draw.draw(html, pdf.BASE, prefix, {"exports/pdf.css": str(css)})
    finally:
        gc.enable()
    assert "Still drawn" in _text(body)
    assert sorted(refused) == sorted(
        [
            f"{prefix}exports/other.css",
            "file:///etc/passwd",
            "http://127.0.0.1:9/x.png",
            f"{prefix}../settings.py",
        ]
    )


def test_the_workers_are_given_every_static_file_and_only_those() -> None:
    files = pdf._static_files()
    assert files["exports/pdf.css"] == pdf._find("exports/pdf.css")
    assert all(path == pdf._find(name) for name, path in files.items())


def test_a_worker_that_dies_leaves_its_part_drawn_here_and_the_next_pdf_a_new_one(
    counted: list[str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = pdf_draw.serve_part
    monkeypatch.setattr(pdf_draw, "serve_part", pdf_worker_dies.draw)  # what the worker runs
    parts = ["<p>Part one</p>", "<p>Part two</p>"]
    text = _text(pdf.render_pdf_parts(parts))
    assert len(counted) == 2  # the worker died: both parts drawn here
    assert "PDF worker failed: EOFError" in caplog.text  # it died, named only
    assert "Part one" in text and "Part two" in text and "Page 2 of 2" in text
    monkeypatch.setattr(pdf_draw, "serve_part", real)
    counted.clear()
    assert "Page 2 of 2" in _text(pdf.render_pdf_parts(parts))
    assert len(counted) == 1  # a new worker drew the second part


def test_no_worker_is_left_waiting_after_a_pdf() -> None:
    pdf.render_pdf_parts(["<p>Part one</p>", "<p>Part two</p>"])
    deadline = time.monotonic() + 10
    while _workers_alive() and time.monotonic() < deadline:  # bounded: 10 s to end
        time.sleep(0.05)
    assert _workers_alive() == []


def _workers_alive() -> list[int]:
    """The worker processes alive: the children of this process's forkserver."""
    return _forkserver_children(os.getpid())


def test_a_hung_worker_is_stopped_and_its_part_drawn_here(
    counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "WORKER_TIMEOUT", 0.01)  # no part is drawn that fast
    text = _text(pdf.render_pdf_parts(["<p>Part one</p>", "<p>Part two</p>"]))
    assert len(counted) == 2 and "Part two" in text and "Page 2 of 2" in text
    assert _workers_alive() == []  # stopped, not left drawing


def test_a_process_with_its_workers_all_busy_draws_the_part_itself(counted: list[str]) -> None:
    taken = [pdf._free.acquire(blocking=False) for _ in range(pdf.WORKERS)]
    try:
        assert all(taken)
        assert "Page 2 of 2" in _text(pdf.render_pdf_parts(["<p>One</p>", "<p>Two</p>"]))
        assert len(counted) == 2
    finally:
        for _ in taken:
            pdf._free.release()


KILLED_SERVER = """
from debrief.lib import pdf
print("READY", flush=True)
pdf.render_pdf_parts(["<p>first</p>", "<p>Secret-Quince-4412 " * 20000 + "</p>"])
"""


def test_a_worker_ends_when_the_process_that_asked_for_it_is_killed(tmp_path: Any) -> None:
    env = dict(os.environ, DEBRIEF_DATA_DIR=str(tmp_path), DEBRIEF_SECRET_KEY="test-only-secret")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", KILLED_SERVER],
        env=env,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert server.stdout is not None and server.stdout.readline().startswith(b"READY")
        drawing: list[int] = []
        deadline = time.monotonic() + 30  # bounded: the worker is drawing within seconds
        while not drawing and time.monotonic() < deadline:
            # The forkserver's child that has spent CPU drawing (short-lived others come first).
            drawing = [w for w in _forkserver_children(server.pid) if _cpu(w) >= 0.5]
            time.sleep(0.05)
        assert drawing, "no worker was drawing"
        workers = drawing
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers), "a worker outlived its server"
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # the forkserver and tracker, if left
        server.wait()


def _cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _forkserver_children(pid: int) -> list[int]:
    """The workers of ``pid``: the children of its forkserver (its child of that name)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    servers = set()
    for child, parent in parents.items():
        try:
            with open(f"/proc/{child}/cmdline", "rb") as line:
                named = b"multiprocessing.forkserver" in line.read()
        except OSError:
            continue
        if parent == pid and named:
            servers.add(child)
    return sorted(child for child, parent in parents.items() if parent in servers)
