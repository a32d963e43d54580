"""The demo practice: believable coachees, sessions and reflections (`manage.py demo`, bench/).

practice.py builds it (``create_practice``) from the story arcs in stories.py and
stories_change.py, the coachees in personas.py and the coach's phrase pools in phrases.py,
dealt by deck.py; schedule.py decides when each session falls.
"""
