"""Insights: what the coach's own records say about their practice (repertoire, self-assessment,
coachee progress, practice rhythm, themes), with server-rendered charts."""
