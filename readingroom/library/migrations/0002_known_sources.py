"""Publications the seed articles come from, with the phrases that identify their pages.

Curators add more in the admin; this only spares a fresh install from filing the seeds under
"Unknown source".
"""

from django.db import migrations

KNOWN_SOURCES = [
    {
        "name": "BBC News",
        "homepage": "https://www.bbc.co.uk/news",
        "notes": "Live pages list timed entries, newest first.",
        # BBC pages spell out image and video captions for screen readers this way.
        "markers": "Image caption,\nMedia caption,",
    },
    {
        "name": "Kyiv Post",
        "homepage": "https://www.kyivpost.com/",
        "notes": "Carries AFP copy as well as its own reporting.",
        "markers": "Other Topics of Interest\nTo suggest a correction or clarification, write to us here",
    },
    {
        "name": "The Guardian",
        "homepage": "https://www.theguardian.com/",
        "notes": "",
        "markers": "",
    },
]


def add_known_sources(apps, schema_editor):
    Source = apps.get_model("library", "Source")
    for fields in KNOWN_SOURCES:
        Source.objects.get_or_create(name=fields["name"], defaults=fields)


def remove_known_sources(apps, schema_editor):
    Source = apps.get_model("library", "Source")
    Source.objects.filter(name__in=[s["name"] for s in KNOWN_SOURCES], documents__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(add_known_sources, remove_known_sources)]
