"""The five relations issue 19 names, which curators may rename, recolour or add to in the admin."""

from django.db import migrations

RELATIONS = [
    ("Same claim", "same-claim", "#2a9d8f", "The passages state the same thing."),
    ("Contradicts", "contradicts", "#e76f51", "The passages disagree: numbers, dates, names or the claim itself."),
    ("Adds detail", "adds-detail", "#4895ef", "One passage says more than the other about the same thing."),
    ("Unattributed copy", "unattributed-copy", "#9d4edd", "One passage copies another without saying so."),
    ("Different translation", "different-translation", "#e9c46a", "The same words, translated differently."),
]


def add_relations(apps, schema_editor):
    Relation = apps.get_model("annotations", "Relation")
    for position, (name, slug, colour, description) in enumerate(RELATIONS):
        Relation.objects.get_or_create(
            slug=slug, defaults={"name": name, "colour": colour, "description": description, "position": position}
        )


def remove_relations(apps, schema_editor):
    Relation = apps.get_model("annotations", "Relation")
    Relation.objects.filter(slug__in=[slug for _, slug, _, _ in RELATIONS], annotations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("annotations", "0008_links")]

    operations = [migrations.RunPython(add_relations, remove_relations)]
