from readingroom.annotations.webanno import annotations_import_webanno

from ._document_file import DocumentFileCommand


class Command(DocumentFileCommand):
    help = (
        "Import a WebAnno TSV 3.x file (as /annotations/export/webanno.zip writes them, or INCEpTION "
        "exports them) onto the document whose text it holds: one annotation per span; the "
        "webanno.custom.ReadingRoom layer's tags and comment as they were, another span layer's "
        "feature values as tags."
    )
    file_help = "the .tsv file"
    encoding = "utf-8-sig"  # INCEpTION may write a byte-order mark
    refused = "refused or skipped"

    def read_onto(self, *, document, text, user, visibility):
        return annotations_import_webanno(document=document, tsv=text, user=user, visibility=visibility)
