"""The quote index keeps each quote's speaker, so that a quote with a speaker is looked up among
the quotes of the same speaker and those without one only (quotes of two speakers are never one
statement): the lookup reads a speaker's postings, not every quote's that shares a common word
(issue #15: the lookup grew with the library)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0006_quote_index_day"),
        ("entities", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="quotefingerprint",
            name="speaker",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="quote_fingerprints",
                to="entities.entity",
            ),
        ),
        migrations.RunSQL(
            "UPDATE coverage_quotefingerprint SET speaker_id = "
            "(SELECT speaker_id FROM coverage_quote WHERE coverage_quote.id = coverage_quotefingerprint.quote_id)",
            migrations.RunSQL.noop,
            elidable=True,
        ),
        migrations.AddIndex(
            model_name="quotefingerprint",
            index=models.Index(fields=["hash", "speaker", "day"], name="quote_fingerprint_speaker"),
        ),
    ]
