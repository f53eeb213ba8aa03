"""Static files as production serves them: hashed, compressed names (WhiteNoise), with the imports
between our JavaScript modules rewritten to the hashed names too. Without that, a module the page
loads by its hashed name and another imports as "./links.js" are two modules to the browser: both
run (two connector overlays, every listener twice, each scroll drawn twice)."""

from django.contrib.staticfiles.storage import HashedFilesMixin
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Django's patterns for `import … from "…"` and `export … from "…"` (not in django-stubs).
_IMPORT_PATTERNS = HashedFilesMixin._js_module_import_aggregation_patterns[1]  # type: ignore[attr-defined]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
    # Our own modules only (static/js/): vendored ones import bare names ("htmx") that are no file.
    _js_module_import_aggregation_patterns = ("js/*.js", _IMPORT_PATTERNS)
