"""The pages that compose the layers below: the library, a document, the compare view, a
session's page, search; the highlights and their cache; and the services that span several
apps (ingesting, editing a text, deleting a document). No models of its own."""
