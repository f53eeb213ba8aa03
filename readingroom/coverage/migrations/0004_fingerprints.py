"""The fingerprint indexes through which a new document finds what it shares, filled for the
documents and quotes already in the library (their shared passages and clusters are kept as they
are, ids and all)."""

import django.db.models.deletion
from django.db import migrations, models

from readingroom.text.fingerprints import quote_fingerprints, sentence_fingerprints
from readingroom.text.sentences import sentence_spans

MIN_SENTENCE_CHARACTERS = 40


def fill(apps, schema_editor):
    Document = apps.get_model("library", "Document")
    Quote = apps.get_model("coverage", "Quote")
    PassageFingerprint = apps.get_model("coverage", "PassageFingerprint")
    QuoteFingerprint = apps.get_model("coverage", "QuoteFingerprint")
    documents = Document.objects.filter(deleted_at__isnull=True).only("pk", "canonical_text", "blocks")
    for document in documents.order_by("pk").iterator(chunk_size=100):
        text = document.canonical_text
        PassageFingerprint.objects.bulk_create(
            [
                PassageFingerprint(hash=value, document_id=document.pk, start=start, end=end, shingles=len(values))
                for start, end in sentence_spans(text, document.blocks)
                if end - start >= MIN_SENTENCE_CHARACTERS
                for values in [sentence_fingerprints(text[start:end])]
                for value in values
            ],
            batch_size=2000,
        )
    for quote in Quote.objects.order_by("pk").iterator(chunk_size=500):
        words = quote_fingerprints(quote.text)
        QuoteFingerprint.objects.bulk_create(
            [
                QuoteFingerprint(hash=value, quote_id=quote.pk, document_id=quote.document_id, words=len(words))
                for value in words
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0003_passage_pairs"),
        ("library", "0005_document_soft_delete"),
    ]

    operations = [
        migrations.CreateModel(
            name="PassageFingerprint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("hash", models.BigIntegerField()),
                ("start", models.PositiveIntegerField()),
                ("end", models.PositiveIntegerField()),
                ("shingles", models.PositiveIntegerField()),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="library.document"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["hash"], name="passage_fingerprint_hash")],
            },
        ),
        migrations.CreateModel(
            name="QuoteFingerprint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("hash", models.BigIntegerField()),
                ("words", models.PositiveSmallIntegerField()),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="library.document"
                    ),
                ),
                (
                    "quote",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="coverage.quote"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["hash"], name="quote_fingerprint_hash")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
