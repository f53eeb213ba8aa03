"""A curator's entity decisions carried as a file (load_entities / export_entities), and a new
library that starts with none of the seeds' people built in."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from readingroom.entities.models import Alias, Entity
from readingroom.entities.services import alias_add
from tests.conftest import SEEDS

SEED_CURATION = SEEDS.parent / "curation" / "seeds.json"


@pytest.mark.django_db
def test_a_new_library_knows_no_entities_until_a_curation_file_is_loaded():
    assert not Entity.objects.exists()
    assert not Alias.objects.exists()

    out = StringIO()
    call_command("load_entities", str(SEED_CURATION), stdout=out)

    shipped = json.loads(SEED_CURATION.read_text(encoding="utf-8"))["entities"]
    assert f"{len(shipped)} entities added" in out.getvalue()
    korea = Entity.objects.get(name="North Korea")
    assert korea.type == "place"
    assert set(korea.aliases.values_list("surface", flat=True)) >= {"DPRK", "North Korea"}
    assert all(korea.aliases.values_list("curated", flat=True))


@pytest.mark.django_db
def test_loading_twice_adds_nothing_and_keeps_what_a_curator_changed_since(tmp_path):
    call_command("load_entities", str(SEED_CURATION), stdout=StringIO())
    entity_count = Entity.objects.count()
    kremlin = Entity.objects.get(name="Kremlin")
    kremlin.type = "facility"
    kremlin.save()

    out = StringIO()
    call_command("load_entities", str(SEED_CURATION), stdout=out)

    assert Entity.objects.count() == entity_count
    assert "0 entities added" in out.getvalue()
    assert Entity.objects.get(pk=kremlin.pk).type == "facility"


@pytest.mark.django_db
def test_a_writing_another_entity_has_stays_with_it(tmp_path):
    korea = Entity.objects.create(name="Korea", type="place")
    alias_add(entity=korea, surface="DPRK")
    path = tmp_path / "decisions.json"
    path.write_text(
        json.dumps({"entities": [{"name": "North Korea", "type": "place", "writings": ["DPRK"]}]}), encoding="utf-8"
    )

    out = StringIO()
    call_command("load_entities", str(path), stdout=out)

    assert "DPRK (Korea)" in out.getvalue()
    assert Alias.objects.get(surface="DPRK").entity == korea
    assert Entity.objects.get(name="North Korea").aliases.get().surface == "North Korea"


@pytest.mark.django_db
def test_export_then_load_into_an_empty_library_gives_the_same_decisions(tmp_path):
    harbour = Entity.objects.create(name="Port Authority of Harbourton", type="organisation", hidden=True)
    alias_add(entity=harbour, surface="Port Authority of Harbourton")
    alias_add(entity=harbour, surface="PAH")
    # A writing only the extractor found is not a curator's decision and is not exported.
    Alias.objects.create(entity=harbour, surface="the port authority", normalised="the port authority")
    Entity.objects.create(name="Nobody decided on me", type="person")
    path = tmp_path / "export.json"

    call_command("export_entities", str(path), stdout=StringIO())
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported == {
        "entities": [
            {
                "name": "Port Authority of Harbourton",
                "type": "organisation",
                "writings": ["PAH", "Port Authority of Harbourton"],
                "hidden": True,
            }
        ]
    }

    Alias.objects.all().delete()
    Entity.objects.all().delete()
    call_command("load_entities", str(path), stdout=StringIO())
    loaded = Entity.objects.get()
    assert (loaded.name, loaded.type, loaded.hidden) == ("Port Authority of Harbourton", "organisation", True)
    assert set(loaded.aliases.values_list("surface", flat=True)) == {"PAH", "Port Authority of Harbourton"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ("[]", 'list of "entities"'),
        ('{"entities": [1]}', "Entity 1 must be an object"),
        ('{"entities": [{"name": " ", "type": "place"}]}', "Entity 1's name must be some text"),
        ('{"entities": [{"name": "Oslo", "type": "city"}]}', "has the type 'city'"),
        ('{"entities": [{"name": "Oslo", "type": "place", "writings": "Oslo"}]}', "writings must be a list"),
        ('{"entities": [{"name": "Oslo", "type": "place", "writings": [7]}]}', "A writing of Oslo must be some text"),
        ('{"entities": [{"name": "Oslo", "type": "place", "hidden": "no"}]}', "hidden must be true or false"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_loads_nothing(tmp_path, content, message):
    path = tmp_path / "decisions.json"
    # A good entry first: nothing of the file is loaded when any of it is wrong.
    good = '{"name": "Bergen", "type": "place"}'
    path.write_text(content.replace('"entities": [', f'"entities": [{good}, ').replace("Entity 1", "Entity 2"))
    with pytest.raises(CommandError) as raised:
        call_command("load_entities", str(path), stdout=StringIO())
    assert message.replace("Entity 1", "Entity 2") in str(raised.value)
    assert "Nothing was loaded" in str(raised.value)
    assert not Entity.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("load_entities", str(tmp_path / "nowhere.json"), stdout=StringIO())
