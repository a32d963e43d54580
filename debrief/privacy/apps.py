from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "debrief.privacy"
    label = "privacy"

    def ready(self) -> None:
        from django.core import checks as django_checks
        from django.core.signals import request_started

        from debrief.lib import charts, words
        from debrief.privacy import checks, keystore, memory, owners

        # `manage.py check`, migrate and serve refuse when stored notes' keys are missing.
        django_checks.register(checks.check_keys, "debrief_keys")

        memory.register(
            "privacy.keystore",
            forget_all=keystore.forget_keys,
            forget_coachee=lambda who: keystore.forget_keys(who.code),
            holds="unwrapped data keys, by coachee code",
        )
        memory.register(
            "privacy.owners",
            forget_all=owners.forget_all,
            holds="which coachee code a coachee or reflection row id belongs to",
        )
        memory.register(
            "lib.words",
            forget_all=words.forget,
            holds="the search form of words met in notes and queries",
        )
        memory.register(
            "lib.charts",
            forget_all=charts.forget,
            holds="the last charts drawn (SVG), which may name a coachee or a goal",
        )
        # Every other process catches up with erasures at the start of each request.
        request_started.connect(memory.catch_up, dispatch_uid="debrief-memory-catch-up")
