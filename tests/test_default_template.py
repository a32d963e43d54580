"""The default template reproduces every question of the coaching brief, as written, in order.

Version 1 asks every question as the brief does. Version 2 (the default for new reflections)
keeps every word, but asks "which techniques ... how effective" as one techniques prompt (each
technique ticked and rated) and adds goal progress to the coachee's progress.
"""

from __future__ import annotations

import pytest

from debrief.prompts.definition import DefinitionError, parse
from debrief.prompts.models import brief_version, default_template_version

# Copied from the brief (shared/seed/coaching-session-reflection.txt), in its order.
BRIEF_QUESTIONS = [
    "Date of Session",
    "Coachee Name",
    "Session Number",
    "Duration of Session",
    "What were the primary goals for this session?",
    "Were there any specific objectives or issues to address?",
    "What materials or resources were prepared for the session?",
    "Any particular strategies or techniques planned to use?",
    "Briefly describe the main topics discussed.",
    "Note any key points or insights shared by the coachee.",
    "How did the coachee demonstrate progress towards their goals?",
    "Were there any significant achievements or breakthroughs?",
    "What obstacles or challenges did the coachee encounter?",
    "How were these challenges addressed during the session?",
    "Which coaching techniques or strategies were employed?",
    "How effective were they in facilitating the session?",
    "Was the communication clear and effective?",
    "How well did you listen and respond to the coachee’s needs?",
    "Was the coachee engaged and motivated throughout the session?",
    "What methods were used to maintain engagement?",
    "Identify aspects of the session that were particularly successful?",
    "What contributed to these successes?",
    "Highlight any areas where the session could be improved.",
    "What steps can be taken to enhance future sessions?",
    "What did you learn about yourself as a coach during this session?",
    "How will this session inform your future coaching practices?",
    "Outline any action items or homework for the coachee.",
    "What are the next steps in their coaching journey?",
    "Identify any follow-up actions or preparations needed for the next session.",
    "How will you continue to support the coachee’s progress?",
    "Any other observations or thoughts?",
]

BRIEF_SECTIONS = [
    "Session information",
    "Pre-session reflection",
    "Session overview",
    "Coach’s performance",
    "Reflection and learning",
    "Action items and next steps",
    "Additional notes",
]


TECHNIQUES_V1 = [
    "Which coaching techniques or strategies were employed?",
    "How effective were they in facilitating the session?",
]
TECHNIQUES_V2 = " ".join(TECHNIQUES_V1)
GOAL_PROGRESS = "How far has each goal come? Score 0-10, with a note."


def _v2_questions() -> list[str]:
    questions = list(BRIEF_QUESTIONS)
    at = questions.index(TECHNIQUES_V1[0])
    questions[at : at + 2] = [TECHNIQUES_V2]
    at = questions.index("Were there any significant achievements or breakthroughs?")
    questions.insert(at + 1, GOAL_PROGRESS)
    return questions


@pytest.mark.django_db
def test_version_2_keeps_the_briefs_words_with_techniques_and_goal_progress() -> None:
    definition = brief_version(2).parsed
    assert [p.text for p in definition.prompts()] == _v2_questions()
    assert [s.title for s in definition.sections] == BRIEF_SECTIONS
    kinds = {p.key: p.kind for p in definition.prompts()}
    assert kinds["techniques"] == "techniques"
    assert kinds["goal_progress"] == "goal_progress"
    assert definition.by_key["goal_progress"].text == GOAL_PROGRESS
    progress_group = definition.sections[2].groups[1]
    assert progress_group.title == "Coachee’s progress"
    assert progress_group.prompts[-1].key == "goal_progress"
    assert "techniques_used" not in kinds and "techniques_effectiveness" not in kinds
    # Every other prompt is the same as in version 1, key, kind and all.
    v1 = brief_version(1).parsed.by_key
    for key, prompt in definition.by_key.items():
        if key not in ("techniques", "goal_progress"):
            assert v1[key] == prompt


@pytest.mark.django_db
def test_new_reflections_get_version_2_and_old_ones_keep_version_1() -> None:
    assert default_template_version() == brief_version(2)
    assert brief_version(1).definition["sections"][3]["groups"][0]["prompts"][0]["key"] == (
        "techniques_used"
    )


@pytest.mark.django_db
def test_every_question_of_the_brief_is_a_prompt_in_order() -> None:
    definition = brief_version(1).parsed
    assert [p.text for p in definition.prompts()] == BRIEF_QUESTIONS


@pytest.mark.django_db
def test_sections_follow_the_brief() -> None:
    definition = brief_version(1).parsed
    assert [s.title for s in definition.sections] == BRIEF_SECTIONS


@pytest.mark.django_db
def test_answer_kinds_fit_the_questions() -> None:
    definition = brief_version(1).parsed
    kinds = {p.text: p.kind for p in definition.prompts()}
    ratings = {t for t, k in kinds.items() if k == "rating"}
    assert ratings == {
        "How effective were they in facilitating the session?",
        "Was the communication clear and effective?",
        "How well did you listen and respond to the coachee’s needs?",
        "Was the coachee engaged and motivated throughout the session?",
    }
    owners = {p.text: p.owner for p in definition.prompts() if p.kind == "actions"}
    assert owners == {
        "Outline any action items or homework for the coachee.": "coachee",
        "Identify any follow-up actions or preparations needed for the next session.": "coach",
    }
    facts = [p.fact for p in definition.prompts() if p.kind == "session"]
    assert facts == ["date", "coachee", "number", "duration"]
    for prompt in definition.prompts():
        if prompt.kind == "rating":
            assert (prompt.scale_min, prompt.scale_max) == (1, 5)


@pytest.mark.django_db
def test_pre_session_prompts_are_the_plan() -> None:
    for version in (brief_version(1), brief_version(2)):
        definition = version.parsed
        pre = [p.key for s in definition.sections if s.phase == "pre" for p in s.prompts]
        assert pre == [
            "primary_goals",
            "specific_issues",
            "materials_prepared",
            "strategies_planned",
        ]


@pytest.mark.django_db
def test_the_template_is_seeded_as_a_versioned_record() -> None:
    version = default_template_version()
    assert version.number == 2
    assert version.template.slug == "coaching-session-reflection"
    assert version.template.owner is None
    assert list(version.template.versions.values_list("number", flat=True).order_by("number")) == [
        1,
        2,
    ]


@pytest.mark.parametrize(
    "broken, message",
    [
        ({}, "missing 'sections'"),
        ({"sections": [{"title": "x", "groups": []}]}, "missing 'key'"),
        (
            {"sections": [{"key": "s", "title": "S", "groups": [{"prompts": [{"key": "a"}]}]}]},
            "missing 'kind'",
        ),
        (
            {
                "sections": [
                    {
                        "key": "s",
                        "title": "S",
                        "groups": [{"prompts": [{"key": "a", "text": "A", "kind": "poem"}]}],
                    }
                ]
            },
            "unknown kind 'poem'",
        ),
        (
            {
                "sections": [
                    {
                        "key": "s",
                        "title": "S",
                        "groups": [
                            {
                                "prompts": [
                                    {"key": "a", "text": "A", "kind": "long_text"},
                                    {"key": "a", "text": "B", "kind": "long_text"},
                                ]
                            }
                        ],
                    }
                ]
            },
            "used twice",
        ),
    ],
)
def test_malformed_definitions_are_refused_with_a_reason(broken: dict, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        parse(broken)
