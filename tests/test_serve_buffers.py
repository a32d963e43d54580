"""Nothing a request or a response carries is spilled to a temporary file by waitress.

Waitress holds a request's body, and a response's output not yet sent, in memory up to a size
and in a temporary file past it (512 KB and 1 MB by default): a journal being imported or a
download on its way to a slow connection would be coachee text in the clear on disk.
``manage.py serve`` gives waitress sizes under which neither happens (``buffer_options``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from waitress.adjustments import Adjustments
from waitress.buffers import OverflowableBuffer
from waitress.parser import HTTPRequestParser

from debrief.cli.management.commands.serve import STREAM_PENDING_BYTES, buffer_options
from debrief.portable.format import MAX_BYTES
from tests.servers import ROOT, debrief_env, free_port, manage, stop, wait_for_port

MB = 1024 * 1024


def _body_spilled(adjustments: Adjustments, size: int) -> bool:
    """Feed waitress's own request parser a POST of ``size`` bytes; did its body go to a file?"""
    parser = HTTPRequestParser(adjustments)
    data = b"POST /journal/import/ HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % size
    data += b"x" * size
    while data and not parser.completed:
        data = data[parser.received(data) :]
    assert parser.completed and not parser.error
    return bool(parser.body_rcv.buf.overflowed)


def test_a_journal_sized_upload_stays_in_memory() -> None:
    assert _body_spilled(Adjustments(), 2 * MB)  # what waitress does by default
    assert not _body_spilled(Adjustments(**buffer_options()), 30 * MB)


def test_the_largest_journal_is_accepted_and_a_larger_body_refused_before_it_is_read() -> None:
    options = buffer_options()
    assert MAX_BYTES < options["max_request_body_size"] <= options["inbuf_overflow"]


def test_a_stream_waits_for_its_client_long_before_its_output_would_spill() -> None:
    adjustments = Adjustments(**buffer_options())
    assert adjustments.outbuf_high_watermark == STREAM_PENDING_BYTES
    # Waitress stops the stream once more than the high watermark is pending; one more piece
    # (the journal export's are 256 K characters, a zip's 64 KB) may be on its way in.
    pending = OverflowableBuffer(adjustments.outbuf_overflow)
    piece = b"x" * (MB // 4)
    while len(pending) <= adjustments.outbuf_high_watermark:
        pending.append(piece)
    for _ in range(8):
        pending.append(piece)
    assert not pending.overflowed
    default = OverflowableBuffer(Adjustments().outbuf_overflow)
    default.append(b"x" * (2 * MB))
    assert default.overflowed  # what waitress does by default


def _files_under(pid: int, folder: Path) -> list[str]:
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed meanwhile
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


def test_serve_keeps_an_upload_arriving_slowly_out_of_its_temporary_folder(tmp_path: Path) -> None:
    # As `make run` goes: migrate, then `manage.py serve`, with its temporary folder watched.
    # A 3 MB import arrives, its last bytes held back, as over a slow connection; while waitress
    # waits for them, nothing of it may be in a file of that folder.
    manage(tmp_path, "migrate", "--noinput")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    env = debrief_env(tmp_path, TMPDIR=str(temporary))
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stop() ends its process group
        )
        try:
            wait_for_port(port, process)
            size = 3 * MB
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                head = (
                    f"POST /journal/import/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Content-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n"
                )
                conn.sendall(head.encode() + b"x" * (size - 1024))
                seen: list[str] = []
                deadline = time.monotonic() + 1.5
                while time.monotonic() < deadline and not seen:
                    seen = _files_under(process.pid, temporary)
                    time.sleep(0.05)
            assert seen == []
        finally:
            stop(process)
