"""Aliases compared without accents and an acronym's dots ("Céline Dion" is "Celine Dion", "U.S."
is "US"): their stored normalised forms recomputed. Where two aliases of one entity now meet, one
is kept; where aliases of two entities meet, the later keeps its old form (a curator merges them
in the admin)."""

from django.db import migrations

from readingroom.entities.models import normalise_name


def renormalise(apps, schema_editor):
    Alias = apps.get_model("entities", "Alias")
    taken = {}
    for alias in Alias.objects.order_by("-curated", "pk"):
        taken.setdefault(alias.normalised, alias.entity_id)
    for alias in Alias.objects.order_by("-curated", "pk"):
        normalised = normalise_name(alias.surface) or alias.surface.casefold()
        if normalised == alias.normalised:
            continue
        owner = taken.get(normalised)
        if owner is None:
            taken.pop(alias.normalised, None)
            alias.normalised = normalised
            alias.save(update_fields=["normalised"])
            taken[normalised] = alias.entity_id
        elif owner == alias.entity_id:
            alias.delete()


class Migration(migrations.Migration):
    dependencies = [("entities", "0002_curated_seed_entities")]

    operations = [migrations.RunPython(renormalise, migrations.RunPython.noop)]
