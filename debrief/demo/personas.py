"""The demo's coachees: four hand-written personas, and the pools generated ones draw on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from debrief.coachees.models import Coachee
from debrief.demo.stories import EXPERT_TO_MANAGER, PEER_TO_LEADER
from debrief.demo.stories_change import CAREER_CHANGE, FOUNDER_BURNOUT
from debrief.journal.models import CoachingSession

# A persona's ``story`` is one of these keys.
STORIES = {
    "peer_to_leader": PEER_TO_LEADER,
    "expert_to_manager": EXPERT_TO_MANAGER,
    "founder_burnout": FOUNDER_BURNOUT,
    "career_change": CAREER_CHANGE,
}

PRONOUNS = {
    "she": {"they": "she", "them": "her", "their": "her"},
    "he": {"they": "he", "them": "him", "their": "his"},
    "they": {"they": "they", "them": "them", "their": "their"},
}


@dataclass(frozen=True)
class Persona:
    name: str
    preferred_name: str
    pronouns: str  # as shown, may be empty
    grammar: str  # key of PRONOUNS used in the text
    email: str
    organisation: str
    background: str
    status: str
    story: str
    weight: float
    cadence: int  # days between sessions
    formats: tuple[str, ...]
    durations: tuple[int, ...]
    times: tuple[time, ...]
    pro_bono: bool = False
    ends_days_ago: int | None = None  # a finished engagement's last session
    upcoming: bool = False
    draft: bool = False
    group_at: float | None = None  # fraction of the way through the engagement

    @property
    def call_name(self) -> str:
        return self.preferred_name or self.name.split()[0]


_IN = CoachingSession.Format.IN_PERSON.value
_VIDEO = CoachingSession.Format.VIDEO.value
_PHONE = CoachingSession.Format.PHONE.value

DEMO_PERSONAS = (
    Persona(
        name="Eleanor Whitfield",
        preferred_name="Nell",
        pronouns="she/her",
        grammar="she",
        email="nell.whitfield@harbourside.example",
        organisation="Harbourside Housing Association (sponsor: Director of People)",
        background=(
            "Promoted to Head of Operations in the spring after eight years in the team; now "
            "manages five former peers. The Director of People sponsors the coaching and asked "
            "for a focus on delegation and on leading the repairs backlog recovery.\n\n"
            "Very prepared; tends to arrive with a list. Prefers mornings."
        ),
        status=Coachee.Status.ACTIVE,
        story="peer_to_leader",
        weight=9,
        cadence=15,
        formats=(_IN, _IN, _VIDEO),
        durations=(60, 60, 90),
        times=(time(9, 30), time(10, 0)),
        upcoming=True,
        group_at=0.7,
    ),
    Persona(
        name="Tomasz Nowak",
        preferred_name="",
        pronouns="he/him",
        grammar="he",
        email="tomasz.nowak@fenwick.example",
        organisation="Fenwick Analytics (sponsor: the CTO)",
        background=(
            "Senior engineer for six years, engineering manager of a team of seven since "
            "January. The CTO sees him as a future head of engineering but says he rescues the "
            "team and avoids conflict with product.\n\nVideo calls at 8am, before stand-up."
        ),
        status=Coachee.Status.ACTIVE,
        story="expert_to_manager",
        weight=7,
        cadence=14,
        formats=(_VIDEO,),
        durations=(45, 60, 60),
        times=(time(8, 0),),
        upcoming=True,
        draft=True,
    ),
    Persona(
        name="Samuel Adeyemi",
        preferred_name="Sam",
        pronouns="they/them",
        grammar="they",
        email="sam@northsidekitchen.example",
        organisation="Northside Community Kitchen (charity; pro bono through a coaching scheme)",
        background=(
            "Founded the kitchen five years ago; now forty volunteers and two part-time staff. "
            "Came through the pro bono scheme. Wants to stop being the bottleneck and to have a "
            "life outside the kitchen.\n\nIn person at the community centre, or by phone when on "
            "a delivery round."
        ),
        status=Coachee.Status.ACTIVE,
        story="founder_burnout",
        weight=5,
        cadence=28,
        formats=(_IN, _IN, _PHONE),
        durations=(60, 75),
        times=(time(14, 0), time(16, 30)),
        pro_bono=True,
        draft=True,
    ),
    Persona(
        name="Fiona MacLeod",
        preferred_name="",
        pronouns="",
        grammar="she",
        email="",
        organisation="Self-funded",
        background=(
            "Senior associate at a City law firm for eleven years, exploring a move into "
            "mediation. Six sessions agreed. Completed: she starts the accreditation course in "
            "the spring and has agreed a four-day week with her firm."
        ),
        status=Coachee.Status.COMPLETED,
        story="career_change",
        weight=6,
        cadence=21,
        formats=(_VIDEO, _IN),
        durations=(75, 90),
        times=(time(12, 30), time(18, 0)),
        ends_days_ago=24,
    ),
)

FIRST_NAMES = {
    "she": (
        "Amelia", "Hannah", "Chloe", "Zara", "Isla", "Harriet", "Sophie", "Maya", "Niamh",
        "Rosie", "Imogen", "Lucy", "Katherine", "Ruth", "Anjali", "Mei", "Bethan", "Siobhan",
    ),
    "he": (
        "Oliver", "James", "Rhys", "Callum", "Daniel", "Ravi", "Hamza", "Ewan", "Matthew",
        "Owen", "Kwame", "Luca", "Patrick", "Arjun", "Dominic", "Benedict",
    ),
    "they": ("Alex", "Jordan", "Robin", "Charlie", "Frankie", "Sasha"),
}  # fmt: skip
SURNAMES = (
    "Patel", "Hughes", "Campbell", "Murphy", "Okafor", "Clarke", "Evans", "Kowalski", "Bennett",
    "Chen", "Ahmed", "Fraser", "Doyle", "Lewis", "Hart", "Morgan", "Singh", "Reid", "Baker",
    "Walsh", "Osei", "Price", "Kaur", "Fletcher", "Nolan", "Byrne", "Mensah", "Ward", "Jenkins",
    "Rossi",
)  # fmt: skip
NICKNAMES = {"Katherine": "Kate", "Matthew": "Matt", "Daniel": "Dan", "Benedict": "Ben"}
SPONSORS = ("Director of People", "the Chief Executive", "Head of HR", "the Managing Director")
GENERATED_FORMATS = ((_VIDEO,), (_IN, _VIDEO), (_IN,), (_VIDEO, _VIDEO, _PHONE))
GENERATED_TIMES = tuple(time(h, m) for h in (8, 9, 10, 11, 13, 14, 15, 16, 17) for m in (0, 30))
STATUS_WEIGHTS = {
    Coachee.Status.ACTIVE: 30,
    Coachee.Status.PAUSED: 8,
    Coachee.Status.COMPLETED: 52,
    Coachee.Status.ARCHIVED: 10,
}
