"""Six people signing up to a fresh install at the same moment make one account.

Issue 10 point 6: six simultaneous first-run sign-ups created four accounts, although sign-up
is open only until the first account exists. The server is started as `make run` starts it;
the six sign-ups are real form posts, released together.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from tests.servers import Visitor, debrief_server, manage

PASSWORD = "six people at one door"
COUNT_USERS = "from debrief.accounts.models import User; print(User.objects.count())"


def test_six_simultaneous_first_sign_ups_make_one_account() -> None:
    with tempfile.TemporaryDirectory(prefix="debrief-race-") as folder:
        data = Path(folder)
        with debrief_server(data, threads=8) as port:
            visitors = [Visitor(port) for _ in range(6)]
            tokens = [v.token("/accounts/signup/") for v in visitors]  # all see the open form
            start = threading.Barrier(len(visitors))
            statuses: dict[int, int] = {}

            def sign_up(n: int) -> None:
                fields = {
                    "csrfmiddlewaretoken": tokens[n],
                    "email": f"coach{n}@example.com",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                }
                start.wait(timeout=30)
                statuses[n] = visitors[n].request("POST", "/accounts/signup/", fields)[0]

            threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            assert sorted(statuses.values()).count(302) == 1, statuses
            assert all(s in (302, 403) for s in statuses.values()), statuses
            winner = next(n for n, s in statuses.items() if s == 302)
            assert visitors[winner].get("/")[0] == 200  # signed in to their new journal
        assert manage(data, "shell", "--no-imports", "-c", COUNT_USERS).strip() == "1"
