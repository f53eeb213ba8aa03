"""The quote index keeps the day each quote's document appeared, so that a dated quote is looked up
among the quotes of the weeks around it only (issue #15: the lookup grew with the library)."""

from datetime import UTC, date

from django.db import migrations, models

EPOCH = date(1970, 1, 1)


def days_from_documents(apps, schema_editor):
    """Each dated document's index rows take its day (as quotes.publication_day counts it)."""
    Document = apps.get_model("library", "Document")
    QuoteFingerprint = apps.get_model("coverage", "QuoteFingerprint")
    indexed = QuoteFingerprint.objects.values("document_id").distinct()
    dated = Document._base_manager.filter(pk__in=indexed, published_at__isnull=False).values_list("pk", "published_at")
    for pk, published_at in dated.iterator():
        day = (published_at.astimezone(UTC).date() - EPOCH).days
        QuoteFingerprint.objects.filter(document_id=pk).update(day=day)


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0005_quote_decisions"),
        ("library", "0010_source_line_rules"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="quotefingerprint",
            name="quote_fingerprint_hash",
        ),
        migrations.AddField(
            model_name="quotefingerprint",
            name="day",
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="quotefingerprint",
            index=models.Index(fields=["hash", "day"], name="quote_fingerprint_hash_day"),
        ),
        migrations.RunPython(days_from_documents, migrations.RunPython.noop, elidable=True),
    ]
