"""Story arcs for the demo practice, part one: stepping up into leadership.

A coachee follows one arc through three phases (early, middle, late); the placeholders are
described in practice.py. The arcs about changing course are in stories_change.py, and
personas.STORIES maps every arc to its key.
"""

from __future__ import annotations

from dataclasses import dataclass


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
