"""The demo practice: believable coachees, sessions and reflections (`manage.py demo`, bench/)."""
