from django.contrib import admin
from django.urls import include, path

from readingroom.accounts import RateLimitedLoginView, signup

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("readingroom.library.urls")),
    path("", include("readingroom.entities.urls")),
    path("", include("readingroom.annotations.urls")),
    path("", include("readingroom.coverage.urls")),
    path("accounts/signup/", signup, name="signup"),
    path("accounts/login/", RateLimitedLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
]
