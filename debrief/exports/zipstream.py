"""A zip file written as it goes: each member is compressed and handed on at once.

``zipfile`` writes to any object with ``write``; on one that cannot seek it puts each member's
sizes after its data, which every unzip tool reads. So a whole journal leaves in pieces, one
member at a time, and is never held whole in memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime

PIECE = 64 * 1024  # handed on once this much is written


class _Sink:
    """Collects what ``zipfile`` writes until it is taken."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    @property
    def size(self) -> int:
        return sum(len(c) for c in self._chunks)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_zip(files: Iterable[tuple[str, str]], when: datetime) -> Iterator[bytes]:
    """The zip of ``files`` ((name, text) pairs, read lazily), in pieces."""
    sink = _Sink()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode())
            if sink.size >= PIECE:  # a few members at a time: fewer, fuller writes
                yield sink.take()
    yield sink.take()
