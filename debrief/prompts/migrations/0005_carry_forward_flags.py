"""Mark the prompts asked about again at the next session with the ``carry`` flag.

Until now a fixed list of keys came back as "last time you planned..." (the brief's next
steps and steps to enhance future sessions). The flag replaces the list: every stored
version, a coach's copy included, gets it on those keys, so nothing that came back before
stops coming back. The built-in versions also take the flags and the planning wording of
their files (the wording of their prompts is unchanged).
"""

from django.db import migrations

from debrief.prompts.builtin import BUILTINS, definition_of

LEGACY_KEYS = {"coachee_next_steps", "improvement_steps"}
WRITTEN = {"long_text", "short_text"}


def _flag_legacy(definition):
    changed = False
    for section in definition.get("sections", []):
        for group in section.get("groups", []):
            for prompt in group.get("prompts", []):
                legacy = prompt.get("key") in LEGACY_KEYS and prompt.get("kind") in WRITTEN
                if legacy and not prompt.get("carry"):
                    prompt["carry"] = True
                    changed = True
    return changed


def forwards(apps, schema_editor):
    template_model = apps.get_model("prompts", "ReflectionTemplate")
    version_model = apps.get_model("prompts", "TemplateVersion")
    builtin = {}
    for spec in BUILTINS:
        for number in spec["versions"]:
            builtin[(spec["slug"], number)] = definition_of(spec["slug"], number)
    slugs = {spec["slug"] for spec in BUILTINS}
    builtin_ids = dict(
        template_model.objects.filter(owner__isnull=True, slug__in=slugs).values_list("pk", "slug")
    )
    for version in version_model.objects.all().iterator():
        slug = builtin_ids.get(version.template_id)
        if slug is not None and (slug, version.number) in builtin:
            version.definition = builtin[(slug, version.number)]
            version.save(update_fields=["definition"])
        elif _flag_legacy(version.definition):
            version.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("prompts", "0004_seed_library_and_brief_v2")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
