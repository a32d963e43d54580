"""Story arcs for the demo practice, part two: changing course (see stories.py)."""

from __future__ import annotations

from debrief.demo.stories import Phase, Story

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
