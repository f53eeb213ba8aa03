"""The words of every alias of two words or more, indexed, so that the names holding a bare
surname are found without reading every name the library knows (issue #15: an import read all
of them, more with every article)."""

import django.db.models.deletion
from django.db import migrations, models


def words_of_aliases(apps, schema_editor):
    """As ``Alias.save`` writes them (models.name_words)."""
    Alias = apps.get_model("entities", "Alias")
    NameWord = apps.get_model("entities", "NameWord")
    rows = []
    for pk, normalised in Alias.objects.values_list("pk", "normalised").iterator(chunk_size=5000):
        if len(normalised.split()) > 1:
            rows += [NameWord(word=word, alias_id=pk) for word in sorted(set(normalised.split()))]
        if len(rows) >= 5000:
            NameWord.objects.bulk_create(rows)
            rows = []
    NameWord.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0004_curation_log"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(db_index=True, max_length=300)),
                (
                    "alias",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="words", to="entities.alias"
                    ),
                ),
            ],
        ),
        migrations.RunPython(words_of_aliases, migrations.RunPython.noop, elidable=True),
    ]
