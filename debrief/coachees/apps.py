from django.apps import AppConfig


class CoacheesConfig(AppConfig):
    name = "debrief.coachees"
    label = "coachees"

    def ready(self) -> None:
        from debrief.coachees.models import Coachee
        from debrief.privacy import owners

        # Sealed fields find their coachee's key by its code; privacy reads it through us.
        owners.reads(
            "coachee", lambda pk: Coachee.objects.values_list("code", flat=True).get(pk=pk)
        )
