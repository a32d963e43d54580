"""The sealed-value wrapper against AES-GCM itself: `python -m bench.sealing`.

A micro-bench (issue 15, "opening values once, fast"), in one process and without a server or
a database: ``--values`` texts (default 20,000; lengths like the demo practice's; seven in
eight are reflection answers, one an action; spread over 40 coachees' data keys) are sealed as
the product seals them, then, ``--repeats`` times (default 7), in the same round:

- **AES-GCM alone**: ``AESGCM.decrypt`` of each value's nonce and ciphertext, bytes in hand, one
  ready cipher per key and the associated data built beforehand: the floor no wrapper can beat;
- **the format's floor**: what opening a stored value costs in Python with nothing of the
  wrapper (no row, no key look-up, the associated data built beforehand): cut the nonce and
  the ciphertext out of the stored bytes (``v3``: ``03 | key id | nonce | ciphertext``),
  AES-GCM, UTF-8. No wrapper around this at-rest format can go under it; its ratio to
  AES-GCM alone is printed beside the target;
- **the wrapper**: reading the attribute of rows as the ORM loads them (``Model.from_db``, built
  beforehand and not timed): the descriptor, the row's associated data, the key lookup, the
  format, AES-GCM and UTF-8, exactly what a page pays per value. A second read of each row is
  timed too (the value is opened once, then kept on the row).

Each repeat times the ways in turn on blocks of ``BLOCK`` values (AES-GCM, floor, the
wrapper's first and second read of the same 500, then the next 500), so that a burst of load
from the machine's other tenants falls on every way alike rather than on whichever loop ran
then. The verdict is on the median over the repeats of each repeat's ratio (wrapper / AES-GCM
alone, same repeat): target at most 3x. Each spread is min-max over the repeats. Times are
the CPU time of the bench's thread (``time.thread_time``), which the load of a shared machine
inflates less than wall time. Not a test: exits 0.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from bench import served

TARGET_RATIO = 3.0
# (share of values, shortest, longest) in characters, like the demo practice's stored text:
# names and short answers, answers and actions of a line or two, the odd long reflection.
MIX = [(0.3, 8, 60), (0.6, 60, 260), (0.1, 260, 1200)]
PHRASE = (
    "the coachee named a next step and we agreed a date to review it; confidence grew as she "
    "listened to her team, noticed the pattern, and chose what to try before café meetings"
)


def _texts(n: int, seed: int) -> list[str]:
    rng, vocabulary = random.Random(seed), PHRASE.split(" ")
    out = []
    for i in range(n):
        share, (low, high) = (i % 100) / 100, MIX[-1][1:]
        for cut, shortest, longest in MIX:
            if share < cut:
                low, high = shortest, longest
                break
            share -= cut
        length = rng.randint(low, high)
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < length:
            words.append(rng.choice(vocabulary))
        out.append(" ".join(words)[:length])
    return out


def _rows(i: int, owner: uuid.UUID) -> tuple[type[Any], str, dict[str, Any]]:
    """The i-th row: mostly reflection answers (row id: reflection and prompt), some actions
    (row id: their code), about as many of each as a practice holds."""
    from debrief.followup.models import ActionItem
    from debrief.journal.models import Answer

    if i % 8 == 7:
        code = uuid.UUID(int=owner.int ^ (i + 1) << 64)
        return ActionItem, "text", {"code": code, "coach_id": 1, "coachee_id": 1, "owner": "coach"}
    return Answer, "text", {"id": i + 1, "reflection_id": i // 12 + 1, "prompt_key": f"p{i % 12}"}


def _setup(n: int, seed: int) -> dict[str, Any]:
    """Sealed values as the product seals them, and what each timed loop needs ready."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from debrief.lib.sealing import BINARY_HEAD, BINARY_NONCE_END
    from debrief.privacy.keystore import keystore

    keys = [uuid.UUID(int=random.Random(seed + i).getrandbits(128)) for i in range(40)]
    texts = _texts(n, seed)
    rows, ready = [], []
    for i, text in enumerate(texts):
        owner = keys[i % len(keys)]
        model, name, values = _rows(i, owner)
        field = model._meta.get_field(name)
        row = model(**values).private_row()
        token = field.seal(_Owner(row, owner), text).token
        nonce, data = token[BINARY_HEAD:BINARY_NONCE_END], token[BINARY_NONCE_END:]
        ready.append((owner, nonce, data, field._aad(row)))
        rows.append((model, field, values, token))
    ciphers = {code: AESGCM(keystore().data_key(code)) for code in keys}
    return {
        "rows": rows,
        "ready": [(ciphers[owner], *rest) for owner, *rest in ready],
        "chars": sum(len(t) for t in texts),
    }


class _Owner:
    """What sealing asks a row: its id (for the associated data) and its coachee's code."""

    def __init__(self, row: str, owner: uuid.UUID) -> None:
        self.row, self.owner = row, owner

    def private_row(self) -> str:
        return self.row

    def private_owner(self) -> uuid.UUID:
        return self.owner


def _loaded(s: dict[str, Any]) -> list[tuple[Any, str]]:
    """Rows as the ORM makes them from a query (untimed): the sealed text, not yet opened."""
    out = []
    for model, field, values, token in s["rows"]:
        names = [f.attname for f in model._meta.concrete_fields]
        found = dict(values, **{field.attname: field.from_db_value(token, None, None)})
        out.append((model.from_db("default", names, [found.get(n) for n in names]), field.attname))
    return out


BLOCK = 500  # values timed each way in turn: every way meets the machine's load alike


def _one_repeat(s: dict[str, Any]) -> dict[str, float]:
    n = len(s["ready"])
    tokens = [token for *_, token in s["rows"]]
    rows = _loaded(s)  # untimed: what a query would have built

    def aes(ready: list[Any]) -> None:
        for cipher, nonce, data, aad in ready:
            cipher.decrypt(nonce, data, aad)

    def floor(pairs: list[Any]) -> None:
        for (cipher, _nonce, _data, aad), token in pairs:
            cipher.decrypt(token[17:29], token[29:], aad).decode()  # after 03 and the key id

    def wrapper(loaded: list[tuple[Any, str]]) -> None:
        for row, name in loaded:
            getattr(row, name)  # the read is what is timed

    spent = dict.fromkeys(("aes", "floor", "wrapper", "again"), 0.0)
    for at in range(0, n, BLOCK):
        part = slice(at, at + BLOCK)
        ready = s["ready"][part]
        ways: list[tuple[str, Callable[[Any], None], Any]] = [
            ("aes", aes, ready),
            ("floor", floor, list(zip(ready, tokens[part], strict=True))),
            ("wrapper", wrapper, rows[part]),
            ("again", wrapper, rows[part]),  # already open: read from the row
        ]
        for way, fn, arg in ways:
            began = time.thread_time()
            fn(arg)
            spent[way] += time.thread_time() - began
    return {way: seconds / n * 1e6 for way, seconds in spent.items()}


def _fmt(values: list[float], unit: str = "µs") -> str:
    return f"{statistics.median(values):.2f} {unit} ({min(values):.2f}-{max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sealing", description=__doc__)
    parser.add_argument("--values", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.values < 100 or args.repeats < 1:
        parser.error("--values at least 100, --repeats at least 1")
    with served.environment("sealing") as env:
        key = base64.urlsafe_b64encode(os.urandom(32)).decode()
        os.environ.update(env, DEBRIEF_MASTER_KEY=key, DJANGO_SETTINGS_MODULE="debrief.settings")
        import django

        django.setup()
        s = _setup(args.values, args.seed)
        _one_repeat(s)  # untimed: first calls, caches of the interpreter
        done = [_one_repeat(s) for _ in range(args.repeats)]
    ratios = [d["wrapper"] / d["aes"] for d in done]
    ratio = statistics.median(ratios)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Sealed values, opened {args.repeats} times each way ({args.values:,} values, "
        f"{s['chars'] / args.values:.0f} characters on average, 40 keys; load {load}). "
        "Per value, CPU time, median over the repeats (min-max):"
    )
    print(f"  AES-GCM decrypt alone           {_fmt([d['aes'] for d in done])}")
    floors = [d["floor"] / d["aes"] for d in done]
    print(
        f"  the format's floor (no wrapper) {_fmt([d['floor'] for d in done])}: "
        f"{statistics.median(floors):.1f}x AES-GCM ({min(floors):.1f}-{max(floors):.1f})"
    )
    print(f"  the wrapper: first read (open)  {_fmt([d['wrapper'] for d in done])}")
    print(f"  the wrapper: second read        {_fmt([d['again'] for d in done])}")
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(
        f"  wrapper / AES-GCM: {ratio:.1f}x ({min(ratios):.1f}-{max(ratios):.1f}), target at "
        f"most {TARGET_RATIO:g}x: {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
