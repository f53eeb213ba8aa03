from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.urls import include, path, register_converter

from readingroom.accounts import PasswordResetConfirmView, PasswordResetView, RateLimitedLoginView, signup
from readingroom.annotations.export_views import brat_export, webanno_export
from readingroom.annotations.token_views import api_tokens, hypothesis_upload
from readingroom.ids import IdConverter

# The admin speaks of the project, on its pages, in the browser's tab and on its sign-in page.
admin.site.site_header = "Reading Room administration"
admin.site.site_title = "Reading Room admin"
admin.site.index_title = "Sources, documents, entities, tags and decisions"

# <id:pk>: ids too long for a database column do not match (404), before any app's URLs load.
register_converter(IdConverter, "id")

urlpatterns = [
    # The admin's sign-in counts failures like the site's: one limit, whichever form is used.
    path(
        "admin/login/",
        RateLimitedLoginView.as_view(
            template_name="admin/login.html",
            authentication_form=AdminAuthenticationForm,
            extra_context={"site_header": admin.site.site_header, "site_title": admin.site.site_title},
        ),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("", include("readingroom.reader.urls")),
    path("", include("readingroom.entities.urls")),
    path("annotations/export/brat.zip", brat_export, name="annotation_export_brat"),
    path("annotations/export/webanno.zip", webanno_export, name="annotation_export_webanno"),
    path("", include("readingroom.annotations.urls")),
    path("", include("readingroom.coverage.urls")),
    path("accounts/signup/", signup, name="signup"),
    path("accounts/tokens/", api_tokens, name="api_tokens"),
    path("accounts/hypothesis/", hypothesis_upload, name="hypothesis_upload"),
    path("accounts/login/", RateLimitedLoginView.as_view(), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
]
