"""The coach's side of every reflection: phrase pools shared by every coachee.

practice.py deals each pool like a deck of cards and describes the placeholders; a phrase
that starts with ``{later}`` is only for a session after the first.
"""

from __future__ import annotations

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
ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip
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
# A phrase already written for another coachee is tied to this session by one of these, so no
# two coachees read the same words (practice.py, ``_Writer.fresh``). About the session itself:
ABOUT_THE_SESSION = (
    "It showed most when we came to {focus}.",
    "That was while {name} talked about {focus}.",
    "Noted after the {nth} session with {name}.",
    "{name} and I were on {focus} at the time.",
    "Worth keeping in mind for {name}'s next session.",
    "A note from the {nth} session with {name}.",
    "Most of all in the part about {focus}.",
    "It is a pattern to watch with {name}.",
)
# About the coach's own learning and practice:
ABOUT_THE_LEARNING = (
    "Working with {name} on {focus} brought that home.",
    "The {nth} session with {name} made it plain.",
    "I saw it as {name} talked about {focus}.",
    "{name}'s session made me think of it again.",
    "Prompted by today's work with {name} on {focus}.",
    "A lesson from the {nth} session with {name}.",
)
# After an action (no full stop: an action is one line):
ABOUT_THE_ACTION = (
    ", after the {nth} session",
    ", with {focus} in mind",
    " before {name}'s next session",
    ", as agreed with {name}",
    ", following our talk about {focus}",
    ", after {name}'s {nth} session",
    ", in time for {name}'s next session",
)
# Before the session, about the plan:
ABOUT_THE_PLAN = (
    "Planned for {name}'s {nth} session.",
    "Chosen with {name} and {focus} in mind.",
    "It suits where {name} is with {focus}.",
    "For the {nth} session, with {name}.",
    "With {focus} in view for {name}.",
)
# After the techniques used (naming no technique and no focus, which might name one):
ABOUT_THE_TECHNIQUES = (
    "Chosen for {name}'s {nth} session.",
    "What suited {name} in our {nth} session.",
    "All with {name}'s way of thinking in mind.",
    "The mix {name} responds to best.",
    "As planned for the {nth} session with {name}.",
)
# Which tie a prompt's answer takes (any prompt not named: ABOUT_THE_SESSION).
TIES = {
    "primary_goals": ABOUT_THE_PLAN,
    "specific_issues": ABOUT_THE_PLAN,
    "materials_prepared": ABOUT_THE_PLAN,
    "strategies_planned": ABOUT_THE_PLAN,
    "improvement_steps": ABOUT_THE_LEARNING,
    "self_learning": ABOUT_THE_LEARNING,
    "future_practice": ABOUT_THE_LEARNING,
    "coach_support": ABOUT_THE_LEARNING,
    "techniques_used": ABOUT_THE_TECHNIQUES,
}
