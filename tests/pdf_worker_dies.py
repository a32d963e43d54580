"""A stand-in for ``pdf_draw.draw`` whose worker process dies mid-part (tests/test_pdf_parts.py)."""

from __future__ import annotations

import os
from typing import Any


def draw(*args: Any) -> Any:
    os._exit(3)  # as a worker the kernel stops for its memory would, with no answer sent
