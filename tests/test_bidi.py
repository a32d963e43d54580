"""lib/bidi.py and the PDF templates' paragraphs: right-to-left text told so, paragraph by one."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from debrief.exports.templatetags.print_text import (
    in_own_dir,
    paragraphs,
    run_in,
    scale_ends,
    score_of,
    text_dir,
)
from debrief.lib.bidi import direction


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", "ltr"),
        ("تقدم جيد", "rtl"),
        ("שלום", "rtl"),
        ("  42 — تقدم", "rtl"),  # numbers and punctuation are not strong: the letter decides
        ("123", "ltr"),
        ("", "ltr"),
        ("Good تقدم", "ltr"),
    ],
)
def test_direction_by_the_first_strong_letter(text: str, expected: str) -> None:
    assert direction(text) == expected
    assert text_dir(text) == expected


def test_each_paragraph_runs_its_own_way_and_is_escaped() -> None:
    html = paragraphs("English <b>first</b>\n\nتقدم جيد\nسطر ثان\n\n\n")
    assert html == ('<p>English &lt;b&gt;first&lt;/b&gt;</p><p dir="rtl">تقدم جيد<br>سطر ثان</p>')


def test_an_answer_runs_on_from_its_question_when_both_run_the_same_way() -> None:
    html = run_in("What happened?", "We agreed a plan.\n\nAnd a date.")
    assert html == (
        '<p class="qa"><strong class="q">What happened?</strong> We agreed a plan.</p>'
        "<p>And a date.</p>"
    )
    both_rtl = run_in("ماذا حدث؟", "تقدم جيد")
    assert both_rtl == '<p class="qa" dir="rtl"><strong class="q">ماذا حدث؟</strong> تقدم جيد</p>'


def test_an_arabic_answer_to_an_english_question_gets_a_paragraph_of_its_own() -> None:
    html = run_in("What happened?", "تقدم <جيد>")
    assert html == (
        '<p class="q"><strong>What happened?</strong></p><p dir="rtl">تقدم &lt;جيد&gt;</p>'
    )


def test_a_text_gets_a_span_with_its_direction_only_when_it_runs_the_other_way() -> None:
    assert in_own_dir("Book a <quiet> room") == "Book a &lt;quiet&gt; room"
    assert in_own_dir("تقدم جيد") == '<span dir="rtl">تقدم جيد</span>'
    assert in_own_dir("Book a room", "ماذا حدث؟") == '<span dir="ltr">Book a room</span>'
    assert in_own_dir("تقدم جيد", "ماذا حدث؟") == "تقدم جيد"


def test_a_rating_s_score_is_set_in_its_question_s_bold() -> None:
    named = SimpleNamespace(scale_min=1, scale_max=5, low_label="Low", high_label="<High>")
    bare = SimpleNamespace(scale_min=1, scale_max=5, low_label="", high_label="")
    score = score_of(SimpleNamespace(score=4), named)
    assert run_in("How effective?", lead=scale_ends(named), score=score) == (
        '<p class="qa"><strong class="q">How effective? 4 / 5</strong> '
        '<span class="scale-ends">(1 Low to 5 &lt;High&gt;)</span></p>'
    )
    assert run_in("How effective?", lead=scale_ends(bare), score=score) == (
        '<p class="qa"><strong class="q">How effective? 4 / 5</strong></p>'
    )
