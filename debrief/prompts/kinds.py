"""Answer kinds by name: the registry a prompt's ``kind`` is looked up in.

An answer kind is one class (in the manner of a Django field or a wagtail block) that owns
everything about one way of answering a prompt. This module holds the part a template needs,
with no database in sight: the editor's label, the kind's own settings in a definition
(parsed, checked and written back), the editor's form for them and the preview. The rest (the
stored values, cleaning and writing what a coach posts, how the answer reads on the page, in
search, in insights and in exports) is added by ``debrief.journal.answers.AnswerKind``, which
every registered kind subclasses. The kinds register themselves when their app is ready:
``journal`` (text, rating, yes/no, number, choices, session facts), ``followup`` (actions,
goal progress) and ``techniques``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    from django.http import QueryDict

    from debrief.prompts.definition import Definition, Path, Prompt

Getter = Callable[[str], str]  # a stripped value of the editor's form, by field suffix
K = TypeVar("K", bound=type["Kind"])


class Kind:
    """The definition side of an answer kind. Subclass ``AnswerKind``, not this."""

    name: ClassVar[str]
    label: ClassVar[str]  # in the editor's menu of kinds
    tag: ClassVar[str] = ""  # shorter, beside a prompt on a template's page ("" for the label)
    menu_order: ClassVar[int] = 100  # place in the editor's menu
    choosable: ClassVar[bool] = True  # offered in the editor's menu (session facts are not)
    asks: ClassVar[bool] = True  # False: shown, not asked (no answer, never counted)
    answer_is_text: ClassVar[bool] = False  # a written answer: it survives a switch to another
    # The coach's assessment of their own practice wherever it is asked (techniques and how
    # well they worked): left out of the coachee's own copy unless the coach includes it.
    self_assessment: ClassVar[bool] = False
    # The prompt attributes this kind reads from a definition, beyond the common ones (key,
    # text, kind, help, required). A later common attribute, such as a "carry forward" flag
    # that brings an answer back next session, is parsed with the common ones in
    # ``definition._parse_prompt`` and may be allowed only where ``answer_is_text``.
    attributes: ClassVar[tuple[str, ...]] = ()
    # Editor templates: what shows in the prompt's "Answer" field (the menu of kinds), the
    # kind's own settings under it ("" for none), and its line in the live preview.
    answer_field_template: ClassVar[str] = "prompts/_kind_select.html"
    settings_template: ClassVar[str] = ""
    preview_template: ClassVar[str] = ""

    def __str__(self) -> str:
        return self.name

    # --- the definition -------------------------------------------------------------------

    def parse_settings(self, data: Mapping[str, Any], where: str, path: Path) -> dict[str, Any]:
        """The kind's own attributes of a prompt, checked; raise ``DefinitionError`` if bad.

        Values that are only derived (never stored) may be added too; ``settings_data``
        leaves them out again.
        """
        return {}

    def settings_data(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The kind's attributes as stored, in the order a person reading the file expects."""
        return {name: settings[name] for name in self.attributes if name in settings}

    def describe(self, prompt: Prompt) -> str:
        """The short tag beside a prompt on its template's page."""
        return self.tag or self.label

    # --- the template editor --------------------------------------------------------------

    def settings_from_form(self, get: Getter, data: QueryDict, prefix: str) -> dict[str, Any]:
        """The kind's attributes as the editor's form posted them (``get("scale")``...)."""
        return {}

    # --- switching a reflection to another template ---------------------------------------

    def has_stored(self, prompt: Prompt, keys: set[str], action_owners: set[str]) -> bool:
        """Whether this reflection holds an answer to ``prompt`` (``keys``: prompt keys with
        an answer or a technique use; ``action_owners``: owners of the session's actions)."""
        return prompt.key in keys

    def shows_in(self, prompt: Prompt, target: Definition) -> bool:
        """Whether the answer to ``prompt`` still shows once the reflection uses ``target``."""
        other = target.by_key.get(prompt.key)
        if other is None:
            return False
        if other.kind == prompt.kind:
            return True
        found = find(other.kind)
        return self.answer_is_text and found is not None and found.answer_is_text


_REGISTRY: dict[str, Kind] = {}


def register(kind_class: K) -> K:
    """Register a kind class by its ``name`` (usable as a class decorator)."""
    name = kind_class.name
    if name in _REGISTRY and type(_REGISTRY[name]) is not kind_class:
        raise ValueError(f"an answer kind named {name!r} is already registered")
    _REGISTRY[name] = kind_class()
    return kind_class


def unregister(name: str) -> None:
    """Forget a kind (tests that define their own kind clean up with this)."""
    _REGISTRY.pop(name, None)


def find(name: str) -> Kind | None:
    return _REGISTRY.get(name)


def get(name: str) -> Kind:
    """The registered kind called ``name``; ``KeyError`` for one that is not registered."""
    return _REGISTRY[name]


def all_kinds() -> list[Kind]:
    """Every registered kind, in the editor's order (session facts first)."""
    return sorted(_REGISTRY.values(), key=lambda k: k.menu_order)


def names() -> tuple[str, ...]:
    return tuple(k.name for k in all_kinds())


def attributes() -> frozenset[str]:
    """Every kind's own prompt attributes: what a definition may carry beyond the common ones."""
    return frozenset(a for kind in _REGISTRY.values() for a in kind.attributes)


def menu() -> list[Kind]:
    """The kinds a coach can choose in the editor, in the editor's order."""
    return [k for k in all_kinds() if k.choosable]
