from readingroom.annotations.brat import annotations_import_brat

from ._document_file import DocumentFileCommand


class Command(DocumentFileCommand):
    help = (
        "Import a brat standoff .ann file onto a document whose canonical text its .txt is (as "
        "/annotations/export/brat.zip writes them): one annotation per text-bound span, its type and "
        "Tag attributes as tags, its AnnotatorNotes as the comment."
    )
    file_help = "the .ann file"

    def read_onto(self, *, document, text, user, visibility):
        return annotations_import_brat(document=document, ann=text, user=user, visibility=visibility)
