"""The entities the seed articles need a curator's word on, as a curator set them in the admin
(change type, add alias) after a first extraction of the seeds.

The model reads Vladivostok and Kyiv as people, cuts "Vostochny Cosmodrome" to an organisation
"Vostochny", and cannot know that the DPRK is North Korea. Curated aliases feed the extractor's
rule matcher, so these are found as these entities in every document. Names that are already
there (an upgraded database) are left as the curator has them.
"""

from django.db import migrations

from readingroom.entities.models import normalise_name

CURATED = [
    ("Vladimir Putin", "person", ["Vladimir Putin", "Putin"]),
    ("Kim Jong Un", "person", ["Kim Jong Un", "Kim Jong-un"]),
    ("Sergei Shoigu", "person", ["Sergei Shoigu", "Shoigu"]),
    ("Dmitry Peskov", "person", ["Dmitry Peskov", "Peskov"]),
    ("Vostochny Cosmodrome", "facility", ["Vostochny Cosmodrome"]),
    ("North Korea", "place", ["North Korea", "DPRK", "Democratic People's Republic of Korea"]),
    ("Vladivostok", "place", ["Vladivostok"]),
    ("Kyiv", "place", ["Kyiv"]),
    ("Crimea", "place", ["Crimea"]),
    ("Sevastopol", "place", ["Sevastopol"]),
    ("Komsomolsk-on-Amur", "place", ["Komsomolsk-on-Amur"]),
    ("Amur", "place", ["Amur"]),
    ("Pyongyang", "place", ["Pyongyang"]),
    ("Kremlin", "organisation", ["Kremlin"]),
    ("RIA Novosti", "organisation", ["RIA Novosti"]),
    ("Covid-19 pandemic", "event", ["Covid"]),
]


def add_curated_entities(apps, schema_editor):
    Entity = apps.get_model("entities", "Entity")
    Alias = apps.get_model("entities", "Alias")
    for name, entity_type, surfaces in CURATED:
        if Alias.objects.filter(normalised=normalise_name(name)).exists():
            continue
        entity = Entity.objects.create(name=name, type=entity_type)
        for surface in surfaces:
            Alias.objects.get_or_create(
                normalised=normalise_name(surface), defaults={"entity": entity, "surface": surface, "curated": True}
            )


class Migration(migrations.Migration):
    dependencies = [("entities", "0001_initial")]

    operations = [migrations.RunPython(add_curated_entities, migrations.RunPython.noop)]
