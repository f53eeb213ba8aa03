"""Once: the entities the seed articles needed a curator's word on, added to every new library.

They were fitted to the seeds (their people, places and spacecraft site), so a library of other
articles started with them. A new library now starts with no entities: the seeds' curation is a
file shipped with them (``curation/seeds.json``), loaded by ``make seed`` through
``manage.py load_entities``, as a curator would load their own. Libraries that ran this migration
before keep those entities as their curators have them since.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("entities", "0001_initial")]

    operations: list = []
