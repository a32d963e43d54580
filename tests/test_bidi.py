"""lib/bidi.py and the PDF templates' paragraphs: right-to-left text told so, paragraph by one."""

from __future__ import annotations

import pytest

from debrief.exports.templatetags.print_text import paragraphs, run_in, text_dir
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
