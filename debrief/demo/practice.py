"""A believable coaching practice, generated from a seed: for `manage.py demo` and for bench/.

Each coachee follows one of a few story arcs (early, middle and late phases) and every answer
is composed from that arc plus pools of phrases about the coach's own practice, dealt like
cards so that a coachee's reflections do not repeat until a pool runs out. Text placeholders:
``{name}``, pronouns (``{they}``, ``{them}``, ``{their}``; only ever followed by a verb that
does not change with the pronoun), the arc's ``{aim}``, the session's ``{focus}``, its first
coachee action ``{action}`` and the previous one ``{prev_action}``, and a few more. A phrase
that starts with ``{later}`` (which prints nothing) is only for a session after the first.

Everything random comes from one ``random.Random(seed)``, so a seed and a date give the same
practice every time. Rows are written with ``bulk_create`` so 3,000 sessions take seconds.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from django.db import transaction
from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.models import default_template_version

# --- story arcs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    focus: tuple[str, ...]
    goals: tuple[str, ...]
    topics: tuple[str, ...]
    insights: tuple[str, ...]
    breakthroughs: tuple[str, ...]
    obstacles: tuple[str, ...]
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    aim: str
    orgs: tuple[str, ...]
    background: str
    phases: tuple[Phase, Phase, Phase]


PEER_TO_LEADER = Story(
    aim="leading {their} former peers with confidence",
    orgs=(
        "Harbourside Housing Association",
        "Mercia Water",
        "St Aldhelm's Hospice",
        "Bridgefoot District Council",
        "Calder Logistics",
    ),
    background=(
        "{name} was promoted this year to lead the team {they} had been part of for "
        "{years} years. The sponsor asked for a focus on delegation and on difficult "
        "conversations. Tends to arrive with a list."
    ),
    phases=(
        Phase(
            focus=(
                "the fear of delegating to former peers",
                "the shape of {their} week",
                "the first one-to-ones as a manager",
            ),
            goals=(
                "Understand what makes delegating to {their} former peers feel so risky, and "
                "find one piece of work {name} could hand over this month.",
                "Look at where {their} week actually goes, and what only {name} can do in the "
                "new role.",
                "Prepare {name} for {their} first round of one-to-ones as a manager rather "
                "than a colleague.",
            ),
            topics=(
                "The shift from being one of the team to leading it. {name} described walking "
                "into the Monday meeting and not knowing where to sit.",
                "The repairs backlog, and how often {name} still rings contractors personally "
                "because it is quicker.",
                "Friendships in the team: two of the team leads were at {their} leaving drinks "
                "for the old role, and now {name} signs off their leave.",
            ),
            insights=(
                "“If I do it myself it gets done properly” came up three times. {name} noticed "
                "it the third time and laughed.",
                "{name} realised {they} had been waiting for permission to lead, when the "
                "promotion was the permission.",
                "About sixty per cent of {their} week is work {name} did before the promotion. "
                "Seeing it written down landed harder than any advice would have.",
            ),
            breakthroughs=(
                "{name} named the team lead {they} most wanted to avoid giving feedback to, and "
                "chose to start there.",
                "A clear first thing to hand over: the weekly contractor call, to Marcus.",
                "A settling rather than a breakthrough: by the end {name} talked about “my "
                "team” rather than “the team”.",
            ),
            obstacles=(
                "Long friendships in the team make direct feedback feel like a betrayal.",
                "The backlog keeps pulling {name} back into the detail, and the detail is where "
                "{they} used to shine.",
                "Tiredness. {name} has been working most evenings since the promotion and only "
                "said so at the end.",
            ),
            actions=(
                "Keep a time log for one week, marking what only the head of the team can do",
                "Hold a first one-to-one with each of the five team leads",
                "Write one page on what good looks like for the backlog recovery",
                "Ask the Director of People what she expects to see by the three-month review",
                "Hand the weekly contractor call to Marcus, with a ten-minute handover",
            ),
        ),
        Phase(
            focus=(
                "the conversation with Joy about missed deadlines",
                "handing over the contractor call",
                "stepping back from daily firefighting",
            ),
            goals=(
                "Plan the conversation with Joy about the missed turnaround deadlines, and look "
                "at what makes {name} want to soften it.",
                "Review how the handover of the contractor call went, and what {name} did with "
                "the time it freed.",
                "Work out how {name} can step back from daily firefighting without losing "
                "sight of the backlog.",
            ),
            topics=(
                "The conversation with Joy, which {name} has rehearsed in {their} head for "
                "three weeks. We separated the facts from the story {name} was telling about "
                "them.",
                "Marcus is running the contractor call well, and {name} admitted to still "
                "listening in. We talked about what trust looks like in practice.",
                "A board member emailed {name} directly about a complaint, and it swallowed a "
                "whole day. We looked at what the role asked for that day and what {name} "
                "chose to do.",
            ),
            insights=(
                "“I'm not protecting Joy, I'm protecting myself from her being cross with me.” "
                "{name} said it quietly and then said it again.",
                "{name} noticed that rescuing makes {them} feel useful and planning does not, "
                "even though planning is the job now.",
                "Listening in on Marcus's calls tells him he is not trusted yet. {name} got "
                "there without any help from me.",
            ),
            breakthroughs=(
                "{name} held the conversation with Joy last Tuesday. It was shorter and kinder "
                "than {they} had feared, and Joy thanked {them}.",
                "{name} blocked Thursday mornings for planning and has kept them free three "
                "weeks running.",
                "For the first time {name} described the backlog as the team's problem to "
                "solve, with {them} holding the plan.",
            ),
            obstacles=(
                "A second team lead is off sick, and the pull to step back into the detail is "
                "strong.",
                "{name}'s own manager still copies {them} into operational emails, which keeps "
                "the old role alive.",
                "{name} was flat today after a difficult week: a complaint reached the local "
                "paper.",
            ),
            actions=(
                "Hold the conversation with Joy before the end of the month, facts first",
                "Stop listening in on the contractor call for two weeks and see what happens",
                "Block Thursday mornings for planning and protect them",
                "Agree with the Director of People which operational emails can stop",
                "Write three questions to ask in one-to-ones instead of giving answers",
            ),
        ),
        Phase(
            focus=(
                "the board presentation",
                "the end of our work together",
                "the team's next quarter",
            ),
            goals=(
                "Prepare for the board presentation of the recovery plan, especially the "
                "questions {name} dreads.",
                "Look back at where {name} started and what is worth keeping when our sessions "
                "end.",
                "Think through how the team can run the recovery without {name} in every meeting.",
            ),
            topics=(
                "The board presentation: {name} ran through it once and we worked on the two "
                "questions {they} feared most, about cost and about tenants still waiting.",
                "The team away day, and what {name} noticed when {they} stayed quiet for the "
                "first hour.",
                "What {name} would like to be known for as a leader a year from now.",
            ),
            insights=(
                "{name} said the board is not an exam; it is a group of people who want the "
                "plan to work.",
                "“I used to think leading meant knowing the answer. Now I think it means asking "
                "the question nobody else will.”",
                "{name} noticed the team now brings decisions rather than problems, and that "
                "{they} had made that happen.",
            ),
            breakthroughs=(
                "The board approved the recovery plan, and the chair asked Marcus to present "
                "the next update. {name} was visibly proud of him.",
                "The backlog is down by a third since the spring, and {name} has not rung a "
                "contractor in six weeks.",
                "{name} gave Joy a stretch project, which would have been unthinkable three "
                "months ago.",
            ),
            obstacles=(
                "Budget pressure next year, and the worry that the gains will slip if the team "
                "is cut.",
                "Old habits return under stress: {name} spent Monday redoing a report Marcus "
                "had written.",
                "{name} is unsure what {their} own development looks like once the recovery "
                "is done.",
            ),
            actions=(
                "Rehearse the board presentation with Marcus playing the sceptical trustee",
                "Ask each team lead what they need from their manager next quarter",
                "Write a one-page note of what has changed since the first session",
                "Choose one habit to keep and one to drop before our final session",
                "Book the three-way review with the Director of People",
            ),
        ),
    ),
)

EXPERT_TO_MANAGER = Story(
    aim="making the move from expert to manager",
    orgs=(
        "Fenwick Analytics",
        "Brightwater Software",
        "Kestrel Labs",
        "Northgate Digital",
        "Orbis Health Tech",
    ),
    background=(
        "{name} was a senior engineer for {years} years and has managed a team of seven since "
        "January. The sponsor sees a future head of engineering but says {name} rescues the "
        "team and avoids conflict with product. Prefers early-morning sessions."
    ),
    phases=(
        Phase(
            focus=(
                "letting go of the code",
                "the midnight release fix",
                "{their} picture of a good manager",
            ),
            goals=(
                "Explore what {name} is holding on to from the engineering role, and what it "
                "costs the team.",
                "Unpack the night {name} fixed the release at midnight, and what the team "
                "learned from it.",
                "Build a picture of what a good manager looks like to {name}, and where that "
                "picture came from.",
            ),
            topics=(
                "{name}'s calendar: eleven hours of meetings and fourteen hours of code last "
                "week, with one-to-ones always the first thing to move.",
                "The midnight release fix. {name} told it as a success story; by the end it "
                "looked more like a missed chance for Leila to learn.",
                "{name}'s best manager, years ago, who “never touched the code but always knew "
                "where it hurt”.",
            ),
            insights=(
                "“If I'm not coding, I'm not sure what I'm for.” {name} said it and then went "
                "very quiet.",
                "{name} realised the team has learned to wait to be rescued, and that {they} "
                "had taught them to.",
                "{name} noticed that a good day still means commits merged, which no longer "
                "measures the job.",
            ),
            breakthroughs=(
                "{name} decided to come off the on-call rota and let Leila lead the next release.",
                "One-to-ones move to fixed slots that never move, starting this week.",
                "{name} described what the team might say about {them} in a year without "
                "mentioning code once.",
            ),
            obstacles=(
                "The product director keeps bringing urgent requests straight to {name}, "
                "bypassing the team.",
                "{name} genuinely enjoys the code, and giving it up feels like a loss nobody "
                "acknowledges.",
                "A tight deadline for the data-platform migration makes stepping back feel "
                "reckless.",
            ),
            actions=(
                "Keep a calendar audit for two weeks: meetings, code, one-to-ones, thinking time",
                "Ask Leila to lead the next release, and stay out of the deploy channel",
                "Move all one-to-ones to fixed slots and protect them",
                "Write down what a good week as a manager would look like",
                "Read the first two chapters of The Manager's Path",
            ),
        ),
        Phase(
            focus=(
                "saying no to the product director",
                "feedback for a senior engineer",
                "asking rather than telling in one-to-ones",
            ),
            goals=(
                "Prepare a conversation with the product director about how requests reach "
                "the team.",
                "Plan feedback for Dan, whose code reviews have become sharp enough to upset "
                "two juniors.",
                "Practise asking rather than telling in one-to-ones, using {name}'s real examples.",
            ),
            topics=(
                "The product director's “quick asks”, which added up to nine unplanned tickets "
                "last sprint. We looked at what {name} says yes to, and why.",
                "Dan's code reviews. {name} admires Dan technically and finds it hard to "
                "criticise someone {they} learned from.",
                "A one-to-one where Leila brought a problem and {name} solved it in four "
                "minutes. We replayed it with questions instead.",
            ),
            insights=(
                "{name} saw that saying yes to every request protects the relationship with "
                "product at the team's expense.",
                "“Dan isn't being unkind on purpose. But the juniors don't know that, and I do.”",
                "{name} noticed that a real question means sitting through the silence "
                "afterwards, and that the silence is the work.",
            ),
            breakthroughs=(
                "{name} agreed a single intake route with the product director: every request "
                "goes through weekly planning.",
                "The feedback conversation with Dan went well; Dan asked for examples and said "
                "nobody had told him before.",
                "Leila led the release without {name} touching it. It went out a day late and "
                "nobody minded.",
            ),
            obstacles=(
                "The CTO praised the midnight fix in front of the whole company, rewarding "
                "exactly the habit {name} is trying to drop.",
                "{name} worries that stepping back will look like stepping down at review time.",
                "Two people left the team this quarter and hiring is frozen.",
            ),
            actions=(
                "Propose a single intake route for product requests at the next planning meeting",
                "Give Dan feedback on his code reviews, with two specific examples",
                "In every one-to-one this fortnight, ask three open questions before offering "
                "a view",
                "Share the calendar audit with the CTO and ask what she expects to change",
                "Notice the urge to fix and write it down instead of acting on it, for a week",
            ),
        ),
        Phase(
            focus=(
                "the quarter plan the team wrote",
                "making the case for Leila's promotion",
                "the next step in {their} career",
            ),
            goals=(
                "Review the quarter plan the team drafted, and {name}'s urge to rewrite it.",
                "Prepare the case for Leila's promotion to senior engineer.",
                "Look at {name}'s own development: what kind of engineering leader to become.",
            ),
            topics=(
                "The team wrote the quarter plan on their own. It is not how {name} would have "
                "written it, and it is good.",
                "Leila's promotion case, and {name}'s surprise at how much evidence there was "
                "once {they} looked.",
                "{name}'s next year: staying with this team, or the head of engineering role "
                "that may open.",
            ),
            insights=(
                "{name} said the job is now to build the people who build the product, and "
                "that it finally feels like a job rather than a demotion.",
                "“I used to count commits. Now I count how often I'm not needed.”",
                "{name} realised {they} still wanted to code a little, and that a Friday "
                "afternoon side project might be the honest answer.",
            ),
            breakthroughs=(
                "{name} has not merged production code in five weeks, and the team shipped more "
                "than in any quarter this year.",
                "The CTO asked {name} to show the other managers how the team changed its "
                "intake process.",
                "{name} presented Leila's promotion case and it was approved.",
            ),
            obstacles=(
                "A production incident on Tuesday pulled {name} straight back into the code, "
                "and it felt like a relapse.",
                "Rumours of a reorganisation make it hard to plan beyond the quarter.",
                "{name} still finds conflict with the product director draining, even when it "
                "goes well.",
            ),
            actions=(
                "Let the team present the quarter plan to the CTO, and stay in the audience",
                "Write Leila's promotion case and share it with her before submitting",
                "Draft a one-page development plan for the next twelve months",
                "Ask two peer managers for feedback, using three agreed questions",
                "After the next incident, run the review without taking the keyboard",
            ),
        ),
    ),
)

FOUNDER_BURNOUT = Story(
    aim="building an organisation that does not depend on {name} alone",
    orgs=(
        "Northside Community Kitchen",
        "Riverside Youth Trust",
        "Open Door Refugee Project",
        "Green Shoots Growing Co-op",
    ),
    background=(
        "{name} founded the charity {years} years ago; it now has forty volunteers and two "
        "part-time staff. Wants to stop being the bottleneck and to have a life outside it. "
        "Sessions in person or by phone, fitted around deliveries."
    ),
    phases=(
        Phase(
            focus=(
                "energy and workload",
                "the list of everything still done personally",
                "a sustainable week",
            ),
            goals=(
                "Take stock of {name}'s energy and workload, honestly, and agree what this "
                "coaching can and cannot help with.",
                "Map everything {name} still does personally and pick one thing to hand to a "
                "volunteer lead.",
                "Explore what a sustainable week would look like for {name}, and what is in "
                "the way.",
            ),
            topics=(
                "{name} works six days a week and answers volunteer messages until late. We "
                "talked about the difference between commitment and being indispensable.",
                "The list: food collections, the rota, funding bids, the accounts, Friday lunch "
                "and fixing the freezer. {name} does all of them.",
                "The trustees, who are supportive but, in {name}'s words, “watch from the side”.",
            ),
            insights=(
                "“If I stop, the food stops.” {name} heard it as a belief rather than a fact "
                "when I played it back.",
                "{name} realised {they} had never asked a volunteer to take on anything that "
                "mattered, in case the answer was no.",
                "{name} noticed that rest has started to feel like letting people down.",
            ),
            breakthroughs=(
                "{name} picked the rota as the first thing to hand over, to Grace, who has "
                "volunteered for three years.",
                "{name} agreed to take one full day off a week, and named it: Sunday.",
                "{name} asked the question {they} had avoided for years: what would happen if "
                "{they} were ill for a month?",
            ),
            obstacles=(
                "Exhaustion. {name} arrived late, apologised twice and struggled to stay with "
                "one topic.",
                "A funding deadline next week that only {name} knows how to write for.",
                "Guilt: the people who use the service get no day off, so why should {name}?",
            ),
            actions=(
                "Write the full list of everything done personally in a typical week",
                "Ask Grace whether she would take on the volunteer rota",
                "Take Sunday off completely, phone in a drawer, for three weeks",
                "Tell the chair of trustees honestly how the workload feels",
                "Book the GP appointment that has been put off since the spring",
            ),
        ),
        Phase(
            focus=(
                "handing over the rota",
                "asking the trustees for help",
                "saying no to a new project",
            ),
            goals=(
                "Review how the rota handover to Grace is going, and what letting go of it "
                "felt like.",
                "Prepare for the trustees' meeting, where {name} wants to ask for real help "
                "rather than give updates.",
                "Think through the invitation to open a second site across town, and what yes "
                "would cost.",
            ),
            topics=(
                "Grace has run the rota for three weeks. Two gaps, both filled, neither by {name}.",
                "The trustees' meeting, and the difference between reporting to a board and "
                "asking it to share the load.",
                "The council's offer to fund a second site, which {name} was excited about and "
                "dreading in equal measure.",
            ),
            insights=(
                "{name} noticed a flash of jealousy towards Grace, and laughed about it: "
                "“she's better at it than me”.",
                "“The trustees don't help because I never tell them anything is wrong.”",
                "{name} saw that every new project so far has been added, never swapped, and "
                "that yes to a second site is no to something else.",
            ),
            breakthroughs=(
                "The treasurer offered to take over the accounts after {name} asked directly "
                "at the trustees' meeting.",
                "{name} said no to the second site for now, and felt relief rather than guilt.",
                "Three Sundays off in a row. {name} went to a sister's for lunch and did not "
                "check the group chat.",
            ),
            obstacles=(
                "The freezer broke again, and in the scramble {name} slipped back into doing "
                "everything.",
                "A volunteer complained that {name} is “less around”, which hurt.",
                "Food donations are down since a supermarket changed its policy, and the worry "
                "is constant.",
            ),
            actions=(
                "Ask the trustees for one named person to take on the accounts",
                "Reply to the council with a clear “not now” on the second site",
                "Meet Grace monthly to review the rota, rather than checking it daily",
                "Write a one-page guide to how things run, for new volunteer leads",
                "Draft a plan for what happens if {name} is away for a month",
            ),
        ),
        Phase(
            focus=(
                "the charity running without {them} at the centre",
                "a succession plan",
                "a life outside the charity",
            ),
            goals=(
                "Look at what now runs without {name}, and what still needs {them}.",
                "Start a succession plan with the trustees, without {name} feeling pushed out.",
                "Talk about {name}'s life outside the charity, which has barely come up in our "
                "sessions.",
            ),
            topics=(
                "A volunteer leads' meeting that {name} chaired but did not dominate; three "
                "decisions were made without {them}.",
                "Succession, and why the word made {name} feel both relieved and replaceable.",
                "{name} has started running again, and wants to enter a 10k in the spring.",
            ),
            insights=(
                "“I thought building it meant doing it all. It meant building the people.”",
                "{name} realised the charity is stronger with {them} in the middle less, and "
                "that this is an achievement, not a loss.",
                "{name} said {they} had forgotten what it was like to enjoy something that was "
                "not useful.",
            ),
            breakthroughs=(
                "The trustees agreed to recruit a part-time operations coordinator, funded by "
                "the new grant.",
                "{name} took a week's holiday, and every session that week ran as normal.",
                "Grace and two other volunteers now run Fridays entirely.",
            ),
            obstacles=(
                "Funding beyond March is uncertain, and that pulls {name} back into firefighting.",
                "{name} finds it hard to stop checking the group chat in the evenings.",
                "A trustee is stepping down, and {name} fears the board will shrink back to "
                "watching.",
            ),
            actions=(
                "Write the job description for the operations coordinator with the chair",
                "Sign up for the spring 10k",
                "Mute the volunteer group chat after 8pm, with Grace as the emergency contact",
                "Ask two volunteers whether they would consider becoming trustees",
                "Book a week's holiday before the end of the year",
            ),
        ),
    ),
)

CAREER_CHANGE = Story(
    aim="a well-made decision about leaving law",
    orgs=("Self-funded",),
    background=(
        "{name} has been a senior associate at a City law firm for {years} years and is "
        "exploring a move into mediation or learning and development. Self-funded; six "
        "sessions agreed at the start."
    ),
    phases=(
        Phase(
            focus=(
                "the pull away from law",
                "{their} values",
                "the fear of starting again",
            ),
            goals=(
                "Explore what is pulling {name} away from law, and what would be missed.",
                "Work on {name}'s values and test the options against them rather than "
                "against salary alone.",
                "Look at the fear of starting again at forty-three, and where it comes from.",
            ),
            topics=(
                "Eleven years in litigation, the long hours and the part of the job {name} "
                "loves: getting people who cannot stand each other to agree.",
                "A values card sort. Fairness, autonomy and calm came out on top; status, which "
                "{name} expected to matter, barely featured.",
                "Money: the mortgage, {their} partner's view and the realistic runway for a "
                "change.",
            ),
            insights=(
                "{name} said the best days at work are the ones where nobody wins in court "
                "because the parties settled.",
                "“I've been successful at something I don't enjoy for so long that I assumed "
                "the not enjoying was the price.”",
                "{name} noticed that every option on the list began with “I could never…”.",
            ),
            breakthroughs=(
                "Mediation came up twice, unprompted. {name} lit up both times.",
                "{name} separated “I can't afford it” from “I haven't worked out what it would "
                "cost”, which are different problems.",
                "{name} talked to {their} partner about the coaching and was surprised by how "
                "supportive the conversation was.",
            ),
            obstacles=(
                "Golden handcuffs: the bonus is paid in March, and leaving before then feels "
                "wasteful.",
                "{name}'s sense of identity is closely tied to being a lawyer.",
                "A big trial next month leaves little room for anything else.",
            ),
            actions=(
                "Work out the real monthly figure the household needs",
                "Have coffee with two people who left law for something else",
                "Write down the three best working days of the last five years and what made "
                "them good",
                "Look up mediation accreditation courses and their costs",
                "Notice every “I could never” this fortnight and write it down",
            ),
        ),
        Phase(
            focus=(
                "testing mediation in practice",
                "the conversation with the managing partner",
                "a realistic plan and timeline",
            ),
            goals=(
                "Review what {name} learned from shadowing a mediator, and whether the pull "
                "is still there.",
                "Prepare the conversation with the managing partner about reducing to four days.",
                "Turn the options into a plan with dates and a budget.",
            ),
            topics=(
                "The day shadowing a family mediator. {name} came back energised and a little "
                "frightened by how much {they} wanted it.",
                "How to raise part-time working without sounding half out of the door.",
                "A timeline: accreditation in the spring, four days a week from April, a "
                "decision point in a year.",
            ),
            insights=(
                "“For the first time in years I didn't look at the clock.”",
                "{name} realised there was no need to leave law in one leap; a bridge is allowed.",
                "{name} saw that the fear is less about money and more about being a beginner "
                "again.",
            ),
            breakthroughs=(
                "The managing partner agreed to a four-day week from April, more readily than "
                "{name} had expected.",
                "{name} applied for the accreditation course, and said it felt like stepping "
                "off a cliff onto a step.",
                "The money conversation at home went well: there are eighteen months of runway "
                "if needed.",
            ),
            obstacles=(
                "The trial overran and {name} did none of the actions, and felt bad about it.",
                "A partner at the firm hinted at a promotion, which muddied the water.",
                "Self-doubt about whether {name} is “the mediator type”.",
            ),
            actions=(
                "Book a day shadowing a family mediator",
                "Prepare three sentences for the managing partner: the request, the reason, "
                "the offer",
                "Apply for the spring accreditation course",
                "Draft a budget for the transition year",
                "Ask the mediator for an honest view of the first two years",
            ),
        ),
        Phase(
            focus=(
                "the first weeks of the course",
                "making big decisions well",
                "closing our work together",
            ),
            goals=(
                "Review {name}'s first weeks on the accreditation course and how it sits "
                "alongside the four-day week.",
                "Consolidate what {name} has learned about making decisions, for the next big one.",
                "Look back at where {name} started and what is worth taking forward.",
            ),
            topics=(
                "The course, the role-plays and the surprise of being good at something new "
                "quite quickly.",
                "How the four-day week is going, and the Friday that keeps filling up with "
                "firm work.",
                "Looking back over our sessions: from “I could never” to a plan already under way.",
            ),
            insights=(
                "{name} said {their} own judgement feels trustworthy again, more than at any "
                "point in {their} career.",
                "“I'm not escaping law. I'm taking the best bit of it with me.”",
                "{name} noticed the decision did not come from one moment of clarity but from "
                "lots of small experiments.",
            ),
            breakthroughs=(
                "{name} co-mediated a practice case and the tutor's feedback was excellent.",
                "Fridays are protected again after {name} said no to a partner for the first time.",
                "{name} has a first paid mediation booked for the summer.",
            ),
            obstacles=(
                "The firm keeps testing the boundary of the fourth day.",
                "Imposter feelings in a room of experienced mediators.",
                "Tiredness from doing two things at once, which {name} underestimated.",
            ),
            actions=(
                "Say no to Friday work unless it is genuinely urgent, and log the requests",
                "Find a peer practice group for newly accredited mediators",
                "Write a letter to {them}self, to open in a year, about what this year taught",
                "Tell the managing partner how the four-day week is working, with examples",
                "Have the promised coffee with the junior associate asking the same questions",
            ),
        ),
    ),
)

STORIES = {
    "peer_to_leader": PEER_TO_LEADER,
    "expert_to_manager": EXPERT_TO_MANAGER,
    "founder_burnout": FOUNDER_BURNOUT,
    "career_change": CAREER_CHANGE,
}

# --- the coach's side: pools shared by every coachee ---------------------------------------------

FIRST_GOALS = (
    "First session: agree how we will work together (confidentiality, what {name} wants from "
    "the coaching, how we will know it is working) and find a first focus: {aim}.",
    "Contracting and getting to know each other. Hear {name}'s story in {their} own words and "
    "agree what success would look like by the end of the engagement.",
)
FIRST_ISSUES = (
    "Be clear about what the sponsor hears from me (attendance only, never content) and check "
    "{name} is comfortable with that.",
    "{name} said at the chemistry call that this is a first experience of coaching. Explain how "
    "it differs from mentoring, and keep the first session light.",
)
FIRST_MATERIALS = (
    "Coaching agreement, a note on confidentiality and a short intake questionnaire.",
    "The agreement, a blank wheel of life and a notebook for {name} to keep.",
)
CLOSING_GOALS = (
    "Closing session: look back at where {name} started, what has changed, and how to keep "
    "going without our sessions.",
    "Our last session. Look back at the journey towards {aim}, celebrate what has moved and "
    "agree how {name} will keep the momentum.",
)

SPECIFIC_ISSUES = (
    "{name} mentioned by email that {focus} has been on {their} mind all week. Leave room for "
    "that before anything else.",
    "Check in on the action from last time: {prev_action}. If it did not happen, explore what "
    "got in the way rather than simply re-committing.",
    "{Focus}, as {name} asked. Underneath it, listen for what {name} fears would happen "
    "after letting go.",
    "Nothing specific beyond {focus}; I want to follow {their} lead today.",
    "Last time ended in a rush. Check the action we agreed ({prev_action}) still feels right.",
    "{name} asked to look at {focus}. I also want to notice how {name} talks about "
    "{their} own needs, which rarely come up.",
    "Whether {focus} is the real issue or a symptom. My hunch is a symptom, but it is only a "
    "hunch.",
    "An email yesterday suggested a hard week. Start gently and see what is most useful.",
    "A quick look at progress towards {aim}, then {focus}.",
)
MATERIALS = (
    "My notes from session {prev_n} and the actions {name} agreed.",
    "Notes from last time, a blank wheel of life and some index cards.",
    "A one-page summary of {their} goals from our first session, to check we are on track.",
    "Nothing formal; I re-read my notes and {their} email about {focus}.",
    "The values cards and a printout of the stakeholder map we started.",
    "A short article on delegation, to offer only if it fits.",
    "Notes from session {prev_n}, plus three questions to hold lightly.",
    "Scaling sheet, pens and the action list from last time.",
    "The feedback model handout, in case {name} wants a structure for the conversation.",
)
STRATEGIES = (
    "{later}Start with what has happened since session {prev_n}, then GROW around {focus}.",
    "Clean questions to stay with {their} language; resist offering ideas.",
    "Scaling questions to see where {name} is now, then explore what one point higher means.",
    "Hold the silence more. Let {name} set the agenda for the first ten minutes.",
    "A short role-play if {name} wants to rehearse; otherwise open questions.",
    "Stakeholder mapping, then a look at which relationships need attention.",
    "Thinking environment: one open question, then listen without interrupting.",
    "Reframing: look at {focus} from another angle, perhaps someone else's.",
    "Check energy first; if {name} is tired, keep the session small and concrete.",
    "{later}Use the values from our earlier work as a lens on {focus}.",
)
# (technique, what it did when it worked)
TECHNIQUES = (
    ("the GROW model", "gave the conversation a clear shape without feeling like a form"),
    ("scaling questions", "made progress visible, and {name} could say what made the difference"),
    ("clean language questions", "kept us in {their} words rather than mine"),
    ("silence", "gave {name} room to reach the real point unaided"),
    ("role-play", "let {name} hear the words out loud before using them for real"),
    ("reframing", "moved the problem from “what is wrong with them” to “what can I change”"),
    ("stakeholder mapping", "showed at a glance where {their} energy was going"),
    ("values work", "gave {name} a way to test choices that was not just about pressure"),
    ("playback and summarising", "helped {name} hear the pattern in {their} own story"),
    ("the empty chair", "let {name} speak to the person being avoided, safely"),
    ("visualisation", "helped {name} describe a future worth working towards, in detail"),
    ("a “what would you tell a friend?” question", "unlocked a kinder and more practical view"),
    ("an immunity to change map", "surfaced the hidden commitment that keeps the habit in place"),
    ("feedforward", "kept the focus on what to do next rather than what went wrong"),
)
TECHNIQUE_LISTS = (
    "{T1}, {t2} and {t3}.",
    "Mainly {t1}, with {t2} when we got stuck.",
    "{T1} to open, {t2} in the middle and {t3} to close.",
    "{T1} and {t2}.",
)
PROGRESS = (
    "{name} had done what {they} set out to do ({prev_action}) and talked about it with real "
    "specificity, which is new.",
    "Partial progress: {name} started to {prev_action} but stopped halfway. We looked at why, "
    "without judgement, and the reason was useful.",
    "{later}{name} spoke about {aim} with more ownership than before: less “they expect me to”, "
    "more “I want to”.",
    "{later}Steady rather than dramatic. {name} could name two situations since session {prev_n} "
    "where {they} did something differently.",
    "{later}{name} scaled {their} confidence at {scale_from} last time and {scale_to} today, and "
    "could say exactly what had changed.",
    "{later}Less visible progress this time, but {name} noticed the old pattern while it was "
    "happening, which is where change starts.",
    "{name} came back having tried to {prev_action}. It did not go to plan, and there was more "
    "to learn from that than from a smooth run.",
    "{later}Clear progress towards {aim}: other people have started to notice, and one of them "
    "said so.",
    "{later}{name} reflected that the actions are easier to keep now they are {their} own rather "
    "than mine.",
)
NO_BREAKTHROUGH = (
    "No breakthrough this time, and that is fine: it was a session for steadying rather than "
    "moving.",
    "{later}Nothing dramatic. The small win was that {name} kept going with the plan despite a "
    "hard week.",
    "Not really. {name} needed to be heard more than to move forward today.",
    "{later}None to speak of. We went over familiar ground, and {name} seemed to need exactly "
    "that.",
    "Not this time. The work was in staying with {focus} rather than resolving it.",
    "Nothing new, though {name} sounded less stuck by the end than at the start.",
)
CHALLENGES_ADDRESSED = (
    "We used {technique} to slow things down and look at it from another angle. {name} found "
    "{their} own next step.",
    "I named what I was noticing, that {name} went quiet whenever we got close to it, and "
    "asked whether to go there. {name} said yes.",
    "We separated what {name} can control from what {name} cannot, and put the energy into the "
    "first list.",
    "Mostly by listening. {name} needed to say it out loud before any thinking could happen.",
    "A short role-play of the hardest moment, then a debrief on what {name} wants to do "
    "differently.",
    "We broke it into the smallest possible first step and agreed it before the end.",
    "Reframing: what would this look like if it were going well? That gave {name} something "
    "to move towards rather than away from.",
    "We did not fully resolve it, and I said so. We agreed to come back to it with fresh eyes.",
    "I asked what advice {name} would give a friend in the same position. The answer was "
    "kinder and more practical than {their} plan.",
)
ENGAGEMENT_METHODS = (
    "Letting {name} set the agenda, summarising often, and checking the energy halfway through.",
    "Questions that followed {their} words rather than mine, and a short break when the "
    "energy dipped.",
    "Paper and pens: {name} thinks better when drawing, so we mapped it out together.",
    "Humour when it came naturally; {name} relaxes after a laugh, and then the real thing "
    "comes out.",
    "Checking twice how {name} was finding the session, and adjusting the pace.",
    "Keeping it concrete, with real examples from {their} week.",
    "Silence and patience. I waited longer than felt comfortable, and {name} filled the space "
    "with what mattered.",
    "A scaling question at the start and the end, so {name} could see the shift.",
    "{later}Building on the wins from last time before turning to what was hard.",
)
SUCCESSFUL_ASPECTS = (
    "Using {technique}: it {effect}.",
    "The middle of the session, when {name} stopped describing the problem and started "
    "choosing what to do about it.",
    "{Technique} worked well; it {effect}. {name} said so afterwards, unprompted.",
    "The last fifteen minutes: {name} chose the action ({action}) without any prompting.",
    "Contracting at the start: we agreed the one thing {name} wanted to leave with, and we got "
    "there.",
    "Staying with {focus} instead of jumping to solutions. The solution {name} found was better "
    "than any I would have offered.",
    "The playback near the end. {name} heard {their} own words back and said “that's it exactly”.",
    "Pace. We took our time at the start, and for once the ending was not rushed.",
)
SUCCESS_FACTORS = (
    "{later}{name} came prepared and had clearly thought about it since last time.",
    "{later}Trust: this was our {nth} session and {name} is noticeably more open than at the "
    "start.",
    "I kept my own ideas to myself for longer than usual.",
    "The clear goal we agreed at the start gave us something to come back to.",
    "{name}'s honesty about what had not worked.",
    "A quiet room and no time pressure; neither of us had anything straight after.",
    "Re-reading my notes beforehand, which is how I noticed the link with session {prev_n}.",
    "{name} was rested and had energy, which has not always been the case.",
    "Following {their} language rather than translating it into mine.",
    "Good use of silence, and {name}'s willingness to sit with a hard question.",
)
IMPROVEMENT_AREAS = (
    "I jumped in with a suggestion about twenty minutes in, and it narrowed the conversation.",
    "We ran over by ten minutes; I should have signalled the time earlier.",
    "I could have challenged more when {name} said there was no choice.",
    "Too long on the story of the week and not enough on what {name} wants to do about it.",
    "I missed an emotional cue early on and only came back to it at the end.",
    "The actions were vague. “Think about it” is not an action.",
    "I talked more than I would like; probably a third of the session.",
    "The session drifted into solving problems for the team rather than for {name}.",
    "I could have checked sooner whether the goal still felt right once we were into it.",
    "I was tired myself, and it showed in my listening in the second half.",
    "I summarised too often and broke {their} flow a couple of times.",
    "Little to change in the structure, but I want to bring more curiosity and less agenda.",
)
IMPROVEMENT_STEPS = (
    "Count to five before offering anything, and ask permission first.",
    "A gentle time check at the halfway point.",
    "Ask “what would make this specific enough to do on Monday?” before we finish.",
    "{later}Bring the coaching agreement back out and re-contract around challenge.",
    "Take this session to supervision, particularly the moment I rescued.",
    "Leave at least ten minutes for actions and a proper close.",
    "Protect a quiet half-hour before sessions so that I arrive properly myself.",
    "Notice when I am solving rather than coaching, and say so out loud.",
    "Start with the goal for the session, not the news of the week.",
    "Ask about feelings as well as plans; {name} goes there when invited.",
    "Keep sessions with {name} in the morning, when we both have more energy.",
)
SELF_LEARNING = (
    "I am still tempted to be useful, and with {name} the temptation is strong because the "
    "problems are ones I recognise.",
    "I am more comfortable with silence than I was a year ago. It did a lot of the work today.",
    "Some impatience when {name} circled back to the same story. Worth exploring in supervision.",
    "I trust the process more when I have prepared less. Interesting, and a little uncomfortable.",
    "My curiosity is my best tool. When I lose it, I start advising.",
    "I can hold a challenge more firmly than I think, and the relationship takes it.",
    "I need to watch my own energy: I coached better in the first half than the second.",
    "Working with someone whose world is so different from mine makes me check my assumptions.",
    "I found myself wanting {name} to succeed a bit too much. That is mine to manage.",
    "I am better at the start and middle of sessions than at closing them.",
    "When I am unsure, a simple “what else?” is nearly always better than a clever question.",
    "I was moved by {name}'s story today, and it is fine to notice that and keep going.",
)
FUTURE_PRACTICE = (
    "I will keep contracting for each session at the start; it made the difference today.",
    "More scaling questions with people who find progress hard to see.",
    "I will bring more silence into sessions where I usually fill the space.",
    "Offer role-play earlier to coachees preparing a hard conversation.",
    "Keep actions small and specific, with a date.",
    "Ask about energy at the start of every session, not only when it looks low.",
    "I am going to end every session with “what will you take from today?”.",
    "I will take the theme of rescuing to my next supervision.",
    "A reminder that the coachee's words are better than mine: fewer paraphrases.",
    "I will look at how I use the first ten minutes; they set the tone for everything.",
)
NEXT_STEPS = (
    "{Action}, then we look at {next_focus} next time.",
    "Keep going with the plan and {action}. The bigger next step is {next_focus}.",
    "Between now and next time: {action}. After that, {next_focus} is the natural next chapter.",
    "{name} wants to consolidate before taking on anything new. The main step is to {action}.",
    "Next session we pick up {next_focus}, building on this fortnight's action: {action}.",
    "Try this and notice what happens: {action}. We agreed not to judge the outcome too soon.",
    "Review progress towards {aim} in two sessions' time; until then, {action}.",
)
COACH_SUPPORT = (
    "Keep holding {name} to {their} own commitments, gently, and celebrate the small wins.",
    "Send a short note after each session with the agreed actions; {name} finds that useful.",
    "Stay curious about {focus}, and resist the urge to advise.",
    "Check in on energy as well as progress; it has been a demanding period.",
    "Make room for what {name} brings, even when it is not on our plan.",
    "Point {name} back to the evidence of progress when confidence dips.",
    "Offer a three-way conversation with the sponsor at the midpoint, if {name} wants one.",
    "Keep the focus on {aim}, and notice if we drift.",
    "Be available by email for a short question before the big conversation.",
)
COACH_ACTIONS = (
    "Send {name} the notes and agreed actions by Friday",
    "Take the rescuing theme to supervision",
    "Re-read my notes from the first session before we next meet",
    "Find the article on psychological safety I mentioned",
    "Confirm the date of the three-way review with the sponsor",
    "Send the values exercise sheet",
    "Prepare a short midpoint review for next time",
    "Book a quiet room for the next in-person session",
    "Reflect on my own urge to advise before the next session",
    "Share the stakeholder map template",
    "Bring back the three patterns {name} mentioned, from my notes",
    "Send a link to the feedback model we discussed",
    "Check in with {name} by email before the difficult conversation",
)
OTHER_OBSERVATIONS = (
    "{later}{name} looked more rested than last time. Worth naming next session.",
    "The room was noisy; book the quiet room next time.",
    "{later}It took a while to warm up after the gap since our last session.",
    "{name} mentioned the sponsor several times today. Keep an ear out for that relationship.",
    "Nothing further. A good, solid session.",
    "{later}We are past the halfway point of the engagement; start talking about the ending soon.",
    "{name} apologised for “going on”. I want to explore why taking up space feels like a problem.",
    "A lighter session than usual, with more laughter. That is information too.",
    "I noticed I looked forward to this session. Good to be aware of.",
    "{name} has not had a proper break for months. Ask about holiday plans next time.",
    "Check the balance of our sessions: a lot on work, little on {name} as a person.",
)
# Comments beside a rating: by prompt, then for a high (4-5), middling (3) or low (1-2) score.
RATING_COMMENTS = {
    "techniques_effectiveness": (
        ("{Technique} landed well.", "The right tools for where {name} was today.",
         "Simple and effective; nothing clever was needed."),
        ("Fine, but I reached for structure when {name} needed space.",
         "{Technique} helped in parts and felt forced towards the end."),
        ("{Technique} did not suit the mood today. I should have dropped it sooner.",
         "Too much structure for a session that needed room to breathe."),
    ),
    "communication_clear": (
        ("Short questions, clear summaries.", "{name} said my playback helped.",
         "Clear throughout; no wasted words."),
        ("A couple of my questions were double-barrelled.",
         "Clear mostly, but I explained too much at one point."),
        ("A long question of mine confused {name} and we lost the thread.",
         "Not my clearest; I was thinking aloud."),
    ),
    "listening": (
        ("Heard what was underneath the story, not only the story.",
         "I caught the shift in {their} voice when we reached the real issue.",
         "Fully present today."),
        ("Good in the first half, drifted in the second.",
         "At one point I was listening for my hypothesis rather than to {name}."),
        ("Distracted; I had a difficult call just before.", "I missed {their} point twice."),
    ),
    "coachee_engagement": (
        ("Fully in it from the start.", "{name} brought energy and questions of {their} own.",
         "Engaged and open, even on the hard parts."),
        ("Engaged, but tired by the end.", "Distracted by work at first; settled after ten "
         "minutes."),
        ("{name} was exhausted and struggled to focus.",
         "Something else was on {their} mind, and {name} did not want to explore it today."),
    ),
}  # fmt: skip
# A team session, written for a coachee who leads the team.
GROUP_SESSION = {
    "primary_goals": "Team session with {name} and the team leads ({size} people in all): agree "
    "how they want to work together and what they need from each other.",
    "specific_issues": "Meetings that overrun, decisions that get reopened, and a sense that two "
    "people carry most of the load. {name} asked me to hold the process so as to take part.",
    "materials_prepared": "Flipchart, sticky notes, a draft team charter outline and the "
    "results of the short pre-session survey.",
    "strategies_planned": "Check-in round, a “best team I have been part of” exercise, then "
    "drafting the charter in pairs.",
    "main_topics": "What makes this team work well and what gets in the way; how decisions are "
    "made; how they disagree. The team drafted a one-page charter.",
    "key_insights": "One team lead said the team is good at agreeing in the room and poor at "
    "keeping the agreement outside it. Everyone nodded, {name} included.",
    "progress_towards_goals": "{name} held back in the first hour and let the team lead the "
    "conversation, which was exactly the goal for the day.",
    "breakthroughs": "The team agreed a simple decision rule: who decides and who is consulted, "
    "written down at the end of each meeting.",
    "obstacles": "One person said very little, and the energy dropped after lunch.",
    "challenges_addressed": "Pairs work after lunch, and a round in which everyone spoke once "
    "before anyone spoke twice.",
    "techniques_used": "Check-in round, appreciative inquiry, pairs work on a team charter, "
    "thinking environment rounds.",
    "engagement_methods": "Rounds so that every voice was heard, moving people around the room, "
    "and a quick energy check before each block.",
}
GROUP_ACTIONS = (
    "Share the draft team charter and agree a date to review it",
    "Try the decision rule in the next three team meetings",
)

FIRST_PROGRESS = (
    "A starting point rather than progress: {name} put {their} confidence at {scale_from} out "
    "of ten and described what {scale_to} would look like.",
    "Too early to talk about progress. {name} left with a clearer sense of what {aim} would "
    "mean day to day.",
)
CLOSING_PROGRESS = (
    "Looking back to our first session, {name} has come a long way towards {aim}, and can name "
    "what made the difference."
)
# A hard session reads differently all the way through, not only in its scores.
HARD_SUCCESSES = (
    "Not a lot, honestly. The best moment came near the end, when {name} named what had made "
    "the week so hard.",
    "Staying with {name} when it would have been easier to move on to the plan.",
    "Keeping the session small: one thing, properly, rather than everything badly.",
)
HARD_FACTORS = (
    "Whatever worked came from {name}'s willingness to keep going on a difficult day.",
    "The trust we have built; on a weaker footing this session could have stalled completely.",
    "I let go of my plan for the session fairly early, which helped a little.",
)
HARD_OBSERVATIONS = (
    "A hard session for both of us. Check in by email in a few days rather than waiting.",
    "{name} seemed much more tired than usual. Ask gently about wellbeing and support next time.",
    "I came away flat. Worth taking to supervision, to separate my tiredness from {name}'s.",
)
CLOSING_NEXT_STEPS = (
    "{name} will {action}. We agreed a check-in call in six months; the door is open before "
    "then if something big comes up."
)

# --- coachees ----------------------------------------------------------------------------------

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
ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip


def _generated_persona(rng: random.Random, used: set[str], history_days: int) -> Persona:
    grammar = rng.choices(("she", "he", "they"), weights=(46, 46, 8))[0]
    first, last = rng.choice(FIRST_NAMES[grammar]), rng.choice(SURNAMES)
    for _ in range(50):  # prefer a name not used yet; a large practice may have to repeat one
        if f"{first} {last}" not in used:
            break
        first, last = rng.choice(FIRST_NAMES[grammar]), rng.choice(SURNAMES)
    used.add(f"{first} {last}")
    story_key = rng.choice(sorted(STORIES))
    story = STORIES[story_key]
    organisation = rng.choice(story.orgs)
    if story_key in ("peer_to_leader", "expert_to_manager"):
        organisation += f" (sponsor: {rng.choice(SPONSORS)})"
    domain = "".join(c for c in organisation.split()[0].lower() if c.isalpha())
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    ends = {
        Coachee.Status.ACTIVE: None,
        Coachee.Status.PAUSED: rng.randint(20, 70),
    }.get(status, rng.randint(20, history_days))
    preferred = NICKNAMES.get(first, "") if rng.random() < 0.7 else ""
    hooks = {"name": preferred or first, **PRONOUNS[grammar], "years": str(rng.randint(3, 12))}
    return Persona(
        name=f"{first} {last}",
        preferred_name=preferred,
        pronouns=f"{grammar}/{PRONOUNS[grammar]['them']}" if rng.random() < 0.4 else "",
        grammar=grammar,
        email=f"{first}.{last}@{domain}.example".lower() if rng.random() < 0.55 else "",
        organisation=organisation,
        background=story.background.format_map(hooks),
        status=status,
        story=story_key,
        weight=min(rng.paretovariate(1.6), 6.0),
        cadence=rng.choice((7, 14, 14, 14, 21, 28)),
        formats=rng.choice(GENERATED_FORMATS),
        durations=rng.choice(((60,), (45, 60), (60, 90), (75, 90), (60, 60, 90))),
        times=tuple(sorted(rng.sample(GENERATED_TIMES, 2))),
        pro_bono=rng.random() < (0.7 if story_key == "founder_burnout" else 0.04),
        ends_days_ago=ends,
        upcoming=status == Coachee.Status.ACTIVE and rng.random() < 0.6,
        draft=status in (Coachee.Status.ACTIVE, Coachee.Status.PAUSED) and rng.random() < 0.12,
        group_at=0.6 if story_key == "peer_to_leader" and rng.random() < 0.5 else None,
    )


def _personas(rng: random.Random, count: int, history_days: int) -> list[Persona]:
    personas = list(DEMO_PERSONAS[:count])
    used = {p.name for p in personas}
    while len(personas) < count:
        personas.append(_generated_persona(rng, used, history_days))
    return personas


def _split(total: int, weights: list[float]) -> list[int]:
    """Share ``total`` out by weight (largest remainder), at least one each while they last."""
    base = [1 if i < total else 0 for i in range(len(weights))]
    rest = total - sum(base)
    shares = [rest * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [b + c for b, c in zip(base, counts, strict=True)]


# --- schedule ----------------------------------------------------------------------------------


@dataclass
class SessionPlan:
    number: int
    date: date
    start_time: time
    duration: int
    format: str
    state: str  # the reflection's status
    group_size: int | None = None
    closing: bool = False


def _weekday_back(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _past_dates(rng: random.Random, persona: Persona, count: int, last: date) -> list[date]:
    day = _weekday_back(last)
    dates = []
    for _ in range(count):
        dates.append(day)
        jitter = rng.randint(-3, 3) if persona.cadence >= 14 else 0
        day = _weekday_back(day - timedelta(days=persona.cadence + jitter))
    return dates[::-1]


def _next_week(rng: random.Random, today: date) -> date:
    day = _weekday_back(today + timedelta(days=rng.randint(1, 6)))
    if day <= today:
        day = today + timedelta(days=1)
        while day.weekday() > 4:
            day += timedelta(days=1)
    return day


def _dates(
    rng: random.Random, persona: Persona, past: int, upcoming: int, today: date
) -> list[date]:
    """Session dates at the persona's cadence: ending recently, next week or long ago."""
    if persona.ends_days_ago is not None:
        return _past_dates(rng, persona, past, today - timedelta(days=persona.ends_days_ago))
    if not upcoming:
        last = today - timedelta(days=rng.randint(1, min(8, persona.cadence)))
        return _past_dates(rng, persona, past, last)
    following = _next_week(rng, today)
    last = min(following - timedelta(days=persona.cadence), today - timedelta(days=1))
    return [*_past_dates(rng, persona, past, last), following]


def _schedule(rng: random.Random, persona: Persona, count: int, today: date) -> list[SessionPlan]:
    upcoming = 1 if persona.upcoming and count > 1 else 0
    past = count - upcoming
    dates = _dates(rng, persona, past, upcoming, today)
    draft_at = past - 1 if persona.draft and past > 1 else None
    group_at = None
    if persona.group_at is not None and past >= 3:
        group_at = min(round(persona.group_at * (past - 1)), past - 2)
    finished = persona.status in (Coachee.Status.COMPLETED, Coachee.Status.ARCHIVED)
    plans = []
    for i, day in enumerate(dates):
        state = Reflection.Status.COMPLETE
        if i >= past:
            state = Reflection.Status.PLANNED
        elif i == draft_at:
            state = Reflection.Status.DRAFT
        plan = SessionPlan(
            number=i + 1,
            date=day,
            start_time=rng.choice(persona.times),
            duration=max(persona.durations) if i == 0 else rng.choice(persona.durations),
            format=rng.choice(persona.formats),
            state=state,
            closing=finished and i == count - 1 and i > 0,
        )
        if i == group_at:
            plan.group_size, plan.duration, plan.format = rng.randint(4, 7), 90, _IN
        plans.append(plan)
    return plans


# --- writing -----------------------------------------------------------------------------------


@cache
def _fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _low(text: str) -> str:
    return text[:1].lower() + text[1:]


def _ordinal(n: int) -> str:
    if n <= len(ORDINALS):
        return ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _Deck:
    """Deals a pool's items in shuffled order, every item once before any repeats."""

    def __init__(self, rng: random.Random, items: tuple[str, ...]) -> None:
        self.rng, self.items, self.left = rng, items, list[int]()

    def index(self, hooks: dict[str, str]) -> int:
        """The next item whose placeholders are all in ``hooks``."""
        for _ in range(2):
            for position, index in enumerate(self.left):
                if _fields(self.items[index]).issubset(hooks):
                    del self.left[position]
                    return index
            self.left = list(range(len(self.items)))
            self.rng.shuffle(self.left)
        raise ValueError(f"No phrase fits the hooks {sorted(hooks)}: {self.items[0]!r}")

    def deal(self, hooks: dict[str, str]) -> str:
        return self.items[self.index(hooks)].format_map(hooks)


@dataclass
class PlannedAction:
    owner: str
    text: str
    due: date | None
    status: str
    closed_at: datetime | None


@dataclass
class Written:
    answers: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    actions: list[PlannedAction] = field(default_factory=list)


TONES = {"great": (5, 5, 4), "good": (4, 4, 5, 3), "steady": (3, 4, 3, 2), "hard": (2, 3, 2, 1)}
TONE_WEIGHTS = (30, 42, 20, 8)
ACTION_STATUSES = (
    ActionItem.Status.OPEN.value,
    ActionItem.Status.DONE.value,
    ActionItem.Status.DROPPED.value,
)
# Post-session prompts answered from the coachee's story, by the Phase field they draw on.
STORY_PROMPTS = {
    "main_topics": "topics",
    "key_insights": "insights",
    "breakthroughs": "breakthroughs",
    "obstacles": "obstacles",
}
# The rest come from shared pools: (usual pool, pool for a hard session or None).
COACH_PROMPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "progress_towards_goals": (PROGRESS, None),
    "challenges_addressed": (CHALLENGES_ADDRESSED, None),
    "engagement_methods": (ENGAGEMENT_METHODS, None),
    "successful_aspects": (SUCCESSFUL_ASPECTS, HARD_SUCCESSES),
    "success_factors": (SUCCESS_FACTORS, HARD_FACTORS),
    "improvement_areas": (IMPROVEMENT_AREAS, None),
    "improvement_steps": (IMPROVEMENT_STEPS, None),
    "self_learning": (SELF_LEARNING, None),
    "future_practice": (FUTURE_PRACTICE, None),
    "coachee_next_steps": (NEXT_STEPS, None),
    "coach_support": (COACH_SUPPORT, None),
    "other_observations": (OTHER_OBSERVATIONS, HARD_OBSERVATIONS),
}


class _Writer:
    """Writes one coachee's reflections in session order, following the coachee's story."""

    def __init__(self, rng: random.Random, persona: Persona, today: date, now: datetime) -> None:
        self.rng, self.persona, self.today, self.now = rng, persona, today, now
        self.story = STORIES[persona.story]
        self.decks: dict[str, _Deck] = {}
        words = PRONOUNS[persona.grammar]
        self.base = {"name": persona.call_name, **words, "Their": _cap(words["their"])}
        self.base["aim"] = self.story.aim.format_map(self.base)
        self.prev_action = ""

    def deck(self, key: str, pool: tuple[str, ...]) -> _Deck:
        if key not in self.decks:
            self.decks[key] = _Deck(self.rng, pool)
        return self.decks[key]

    def deal(self, key: str, pool: tuple[str, ...], hooks: dict[str, str]) -> str:
        return self.deck(key, pool).deal(hooks)

    def _hooks(self, plan: SessionPlan, total: int) -> tuple[int, dict[str, str]]:
        at = min(2, 3 * (plan.number - 1) // max(total, 1))
        phase, later = self.story.phases[at], self.story.phases[min(2, at + 1)]
        hooks = dict(self.base, nth=_ordinal(plan.number), size=str(plan.group_size))
        # The session's focus and its goal share an index: the pools are written in parallel.
        beat = self.deck(f"focus{at}", phase.focus).index(hooks)
        hooks["focus"] = phase.focus[beat].format_map(hooks)
        hooks["Focus"] = _cap(hooks["focus"])
        hooks["goal"] = phase.goals[beat].format_map(hooks)
        hooks["next_focus"] = self.deal(f"next{at}", later.focus, hooks)
        if plan.number > 1:
            hooks.update(later="", prev_n=str(plan.number - 1))
        if self.prev_action:
            hooks["prev_action"] = self.prev_action
        picked = self.rng.sample(TECHNIQUES, 3)
        for i, (name, _) in enumerate(picked, start=1):
            hooks.update({f"t{i}": name, f"T{i}": _cap(name)})
        hooks.update(technique=picked[0][0], Technique=_cap(picked[0][0]))
        hooks["effect"] = picked[0][1].format_map(hooks)
        start = self.rng.randint(3, 6)
        hooks.update(scale_from=str(start), scale_to=str(start + self.rng.randint(1, 2)))
        return at, hooks

    def write(self, plan: SessionPlan, total: int) -> Written:
        at, hooks = self._hooks(plan, total)
        written = Written()
        if plan.state != Reflection.Status.PLANNED:
            written.actions = self._actions(plan, at, hooks)
        self._pre(plan, hooks, written)
        if plan.state == Reflection.Status.DRAFT:
            self._draft(at, hooks, written)
        elif plan.state == Reflection.Status.COMPLETE:
            self._post(plan, at, hooks, written)
        if plan.group_size:
            for key, text in GROUP_SESSION.items():
                if key in written.answers:
                    written.answers[key] = (text.format_map(hooks), None)
        return written

    def _pre(self, plan: SessionPlan, hooks: dict[str, str], written: Written) -> None:
        a = written.answers
        if plan.number == 1:
            a["primary_goals"] = (self.deal("first", FIRST_GOALS, hooks), None)
            a["specific_issues"] = (self.deal("first_issues", FIRST_ISSUES, hooks), None)
            a["materials_prepared"] = (self.deal("first_materials", FIRST_MATERIALS, hooks), None)
        else:
            goal = self.deal("closing", CLOSING_GOALS, hooks) if plan.closing else hooks["goal"]
            a["primary_goals"] = (goal, None)
            a["specific_issues"] = (self.deal("issues", SPECIFIC_ISSUES, hooks), None)
            if plan.state != Reflection.Status.PLANNED or self.rng.random() < 0.6:
                a["materials_prepared"] = (self.deal("materials", MATERIALS, hooks), None)
        a["strategies_planned"] = (self.deal("strategies", STRATEGIES, hooks), None)

    def _draft(self, at: int, hooks: dict[str, str], written: Written) -> None:
        phase = self.story.phases[at]
        a = written.answers
        a["main_topics"] = (self.deal(f"topics{at}", phase.topics, hooks), None)
        a["key_insights"] = (self.deal(f"insights{at}", phase.insights, hooks), None)
        if self.rng.random() < 0.5:
            a["progress_towards_goals"] = (
                self.deal("progress_towards_goals", PROGRESS, hooks),
                None,
            )

    def _post(self, plan: SessionPlan, at: int, hooks: dict[str, str], w: Written) -> None:
        tone = self.rng.choices(list(TONES), weights=TONE_WEIGHTS)[0]
        if plan.closing:
            tone = self.rng.choice(("great", "good"))
        phase = self.story.phases[at]
        for key, part in STORY_PROMPTS.items():
            w.answers[key] = (self.deal(f"{part}{at}", getattr(phase, part), hooks), None)
        hard = tone == "hard"
        for key, (pool, hard_pool) in COACH_PROMPTS.items():
            deck, phrases = (f"{key}-hard", hard_pool) if hard and hard_pool else (key, pool)
            if plan.number == 1 and key == "progress_towards_goals":
                deck, phrases = "first_progress", FIRST_PROGRESS
            w.answers[key] = (self.deal(deck, phrases, hooks), None)
        lucky = tone in ("great", "good") or (tone == "steady" and self.rng.random() < 0.5)
        if not lucky:
            w.answers["breakthroughs"] = (self.deal("none", NO_BREAKTHROUGH, hooks), None)
        if plan.closing:
            w.answers["progress_towards_goals"] = (CLOSING_PROGRESS.format_map(hooks), None)
            w.answers["coachee_next_steps"] = (CLOSING_NEXT_STEPS.format_map(hooks), None)
        techniques = self.rng.choice(TECHNIQUE_LISTS).format_map(hooks)
        w.answers["techniques_used"] = (techniques, None)
        for key, comments in RATING_COMMENTS.items():
            score = self.rng.choice(TONES[tone])
            band = 0 if score >= 4 else 1 if score == 3 else 2
            comment = self.rng.choice(comments[band]) if self.rng.random() < 0.55 else ""
            w.answers[key] = (comment.format_map(hooks), score)

    def _actions(self, plan: SessionPlan, at: int, hooks: dict[str, str]) -> list[PlannedAction]:
        complete = plan.state == Reflection.Status.COMPLETE
        if plan.group_size:
            coachee_texts = list(GROUP_ACTIONS[: self.rng.randint(1, 2)])
        elif complete or self.rng.random() < 0.5:
            count = self.rng.choices((1, 2), weights=(55, 45))[0]
            pool = self.story.phases[at].actions
            coachee_texts = [self.deal(f"actions{at}", pool, hooks) for _ in range(count)]
        else:
            coachee_texts = []
        coach_texts = []
        if complete:
            count = self.rng.choices((1, 2), weights=(65, 35))[0]
            coach_texts = [self.deal("coach_actions", COACH_ACTIONS, hooks) for _ in range(count)]
        if coachee_texts:
            hooks.update(action=_low(coachee_texts[0]), Action=coachee_texts[0])
            self.prev_action = hooks["action"]
        else:
            hooks.update(action="keep going", Action="Keep going")
        owners = [ActionItem.Owner.COACHEE] * len(coachee_texts)
        owners += [ActionItem.Owner.COACH] * len(coach_texts)
        return [
            self._action(plan, owner, text)
            for owner, text in zip(owners, coachee_texts + coach_texts, strict=True)
        ]

    def _action(self, plan: SessionPlan, owner: str, text: str) -> PlannedAction:
        due = None
        if self.rng.random() < (0.55 if owner == ActionItem.Owner.COACHEE else 0.4):
            due = plan.date + timedelta(days=self.rng.choice((7, 10, 14, 21, 28)))
        status = self._action_status(plan)
        # Drawn whatever the status, so that the same seed writes the same text on any day.
        closed = min(plan.date + timedelta(days=self.rng.randint(2, 21)), self.today)
        closed_at = min(_at(closed, _office_hours(self.rng)), self.now)
        if status == ActionItem.Status.OPEN:
            return PlannedAction(owner, text, due, status, None)
        return PlannedAction(owner, text, due, status, closed_at)

    def _action_status(self, plan: SessionPlan) -> str:
        """Open, done or dropped: older ones mostly done; a finished engagement all closed."""
        age = (self.today - plan.date).days
        if self.persona.status in (Coachee.Status.COMPLETED, Coachee.Status.ARCHIVED):
            weights = (0, 85, 15)
        elif plan.state == Reflection.Status.DRAFT or age <= 10:
            weights = (80, 20, 0)
        elif age <= 35:
            weights = (45, 45, 10)
        else:
            weights = (5, 83, 12)
        return self.rng.choices(ACTION_STATUSES, weights=weights)[0]


def _at(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _stamps(
    rng: random.Random, plan: SessionPlan, now: datetime
) -> tuple[datetime, datetime, datetime | None]:
    """When the reflection was created, last changed and completed: in working hours."""
    end = _at(plan.date, plan.start_time) + timedelta(minutes=plan.duration)
    created = _at(plan.date - timedelta(days=rng.randint(1, 4)), _office_hours(rng))
    created = min(created, now - timedelta(hours=1))
    if plan.state == Reflection.Status.PLANNED:
        return created, created, None
    changed = _at(plan.date + timedelta(days=rng.choice((0, 0, 1, 1, 2))), _office_hours(rng))
    if changed < end + timedelta(minutes=30):
        changed = end + timedelta(minutes=rng.randint(30, 120))
    changed = min(changed, now)
    completed = changed if plan.state == Reflection.Status.COMPLETE else None
    return created, changed, completed


def _office_hours(rng: random.Random) -> time:
    return time(rng.randint(8, 19), rng.choice((0, 10, 25, 40, 55)))


# --- saving ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeSummary:
    coachees: int
    sessions: int
    actions: int


def _now_for(today: date) -> datetime:
    """Now, or the end of ``today``'s working day when building a practice for another date."""
    if today == timezone.localdate():
        return timezone.now()
    return _at(today, time(17, 30))


def create_practice(
    coach: User, *, sessions: int, coachees: int, seed: int, today: date
) -> PracticeSummary:
    """Give ``coach`` a practice of ``coachees`` people and ``sessions`` sessions up to ``today``.

    The first coachees are the demo's four hand-written ones; any more are generated.
    Sessions are shared out unevenly, as in a real practice.
    """
    rng = random.Random(seed)
    now = _now_for(today)
    history_days = max(150, sessions * 7 // 12)
    personas = _personas(rng, coachees, history_days)
    counts = _split(sessions, [p.weight for p in personas])
    plans = [_schedule(rng, p, n, today) for p, n in zip(personas, counts, strict=True)]
    writings = []
    for persona, schedule in zip(personas, plans, strict=True):
        writer = _Writer(rng, persona, today, now)
        writings.append([writer.write(plan, len(schedule)) for plan in schedule])
    stamps = [[_stamps(rng, plan, now) for plan in schedule] for schedule in plans]
    with transaction.atomic():
        return _save(coach, personas, plans, writings, stamps, rng)


def _save(
    coach: User,
    personas: list[Persona],
    plans: list[list[SessionPlan]],
    writings: list[list[Written]],
    stamps: list[list[tuple[datetime, datetime, datetime | None]]],
    rng: random.Random,
) -> PracticeSummary:
    version = default_template_version()
    people = Coachee.objects.bulk_create(
        _coachee_row(coach, p, s, rng) for p, s in zip(personas, plans, strict=True)
    )
    rows = [
        (person, persona, plan, written, stamp)
        for person, persona, schedule, writes, marks in zip(
            people, personas, plans, writings, stamps, strict=True
        )
        for plan, written, stamp in zip(schedule, writes, marks, strict=True)
    ]
    sessions = CoachingSession.objects.bulk_create(
        _session_row(coach, person, persona, plan) for person, persona, plan, _, _ in rows
    )
    reflections = Reflection.objects.bulk_create(
        Reflection(
            coach=coach,
            session=session,
            template_version=version,
            status=plan.state,
            completed_at=stamp[2],
        )
        for session, (_, _, plan, _, stamp) in zip(sessions, rows, strict=True)
    )
    # created/updated are auto-set on insert; give them the dates a real coach would have.
    for reflection, (*_, stamp) in zip(reflections, rows, strict=True):
        reflection.created, reflection.updated = stamp[0], stamp[1]
    Reflection.objects.bulk_update(reflections, ["created", "updated"], batch_size=500)
    Answer.objects.bulk_create(
        (
            Answer(reflection=reflection, prompt_key=key, text=text, rating=rating)
            for reflection, (*_, written, _) in zip(reflections, rows, strict=True)
            for key, (text, rating) in written.answers.items()
        ),
        batch_size=1000,
    )
    actions = ActionItem.objects.bulk_create(
        (
            ActionItem(
                coach=coach,
                coachee=person,
                session=session,
                owner=a.owner,
                text=a.text,
                due=a.due,
                status=a.status,
                closed_at=a.closed_at,
            )
            for session, (person, _, _, written, _) in zip(sessions, rows, strict=True)
            for a in written.actions
        ),
        batch_size=1000,
    )
    return PracticeSummary(coachees=len(people), sessions=len(sessions), actions=len(actions))


def _coachee_row(
    coach: User, persona: Persona, schedule: list[SessionPlan], rng: random.Random
) -> Coachee:
    start = schedule[0].date - timedelta(days=rng.randint(5, 20)) if schedule else None
    return Coachee(
        coach=coach,
        name=persona.name,
        preferred_name=persona.preferred_name,
        pronouns=persona.pronouns,
        email=persona.email,
        organisation=persona.organisation,
        engagement_start=start,
        status=persona.status,
        background=persona.background,
    )


def _session_row(
    coach: User, person: Coachee, persona: Persona, plan: SessionPlan
) -> CoachingSession:
    return CoachingSession(
        coach=coach,
        coachee=person,
        number=plan.number,
        date=plan.date,
        start_time=plan.start_time,
        duration_minutes=plan.duration,
        format=plan.format,
        payment=CoachingSession.Payment.PRO_BONO if persona.pro_bono else "paid",
        kind=CoachingSession.Kind.GROUP if plan.group_size else CoachingSession.Kind.INDIVIDUAL,
        group_size=plan.group_size,
    )
