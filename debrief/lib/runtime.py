"""Process-wide tuning for a long-running server."""

from __future__ import annotations

import gc


def settle_after_startup() -> None:
    """Take what start-up loaded out of the garbage collector's full passes.

    Django, the apps and their modules live as long as the process, yet every full collection
    walks all of them again: tens of milliseconds that land on whichever request triggers it
    (the slow tail of a page's timings). ``gc.freeze`` moves the objects alive now to a
    permanent generation that collections skip; later garbage is collected as before.
    """
    gc.collect()
    gc.freeze()
