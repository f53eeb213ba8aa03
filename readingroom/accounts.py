"""Signing up, and signing in with a limit on failed attempts. Signing out and password changes
are Django's own views under /accounts/."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from readingroom.loginlimits import client_network
from readingroom.loginlimits.services import (
    client_address,
    known_browser,
    known_browser_remember,
    sign_in_attempt_begin,
    sign_in_attempt_succeeded,
    sign_in_success_record,
    sign_in_waits_clear,
)
from readingroom.querylimits import rate_limit_exceeded


class SignupForm(UserCreationForm):
    display_name = forms.CharField(
        max_length=150, required=False, help_text="How others in a session see you (your username if empty)."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.first_name = self.cleaned_data["display_name"].strip()
        if commit:
            user.save()
        return user


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and rate_limit_exceeded(
        key=f"signup:{client_network(request)}", limit=settings.READINGROOM_SIGNUPS_PER_HOUR, window_seconds=3600
    ):
        # Every account gets its own search allowance: accounts must not be had by the hundred.
        form.add_error(None, "Too many accounts were made from your network in the last hour. Try again later.")
        return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return redirect(_safe_next(request))
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)})


class RateLimitedLoginView(LoginView):
    """Django's login, with the next try made to wait after failures (loginlimits/services.py):
    counted in the database, so every server process agrees, and never a lock a stranger can
    put on someone else's account."""

    def post(self, request, *args, **kwargs):
        wait, self.attempt = sign_in_attempt_begin(
            username=request.POST.get("username", ""), address=client_address(request), browser=known_browser(request)
        )
        if wait:
            # An unbound form: a bound one would check the password while it renders its errors,
            # and its answer (an error or none) would tell a waiting guesser whether it was right.
            # Its only error is set directly: add_error() would clean (and so check) a bound form.
            form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")[:150]})
            message = (
                f"Too many failed sign-ins. Try again in {_duration(wait)}, "
                "or reset your password to sign in straight away."
            )
            form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message], error_class="nonfield")})
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # A failure was recorded before the password was checked (sign_in_attempt_begin); an
        # invalid form keeps it, a right password takes it back.
        sign_in_attempt_succeeded(attempt=getattr(self, "attempt", None))
        user = form.get_user()
        previous_sign_in = user.last_login  # before login() moves it to now
        response = super().form_valid(form)
        elsewhere = sign_in_success_record(
            username=user.get_username(),
            address=client_address(self.request),
            browser=known_browser(self.request),
            previous_sign_in=previous_sign_in,
        )
        if elsewhere.count:
            messages.warning(
                self.request,
                f"{elsewhere.count} failed sign-in attempt{pluralize(elsewhere.count)} on your account since you last "
                f"signed in, the latest on {date_format(timezone.localtime(elsewhere.last_at), 'j M Y, H:i')}"
                f" from {elsewhere.last_address or 'an unknown address'}. If that was not you, choose a strong password.",
            )
        known_browser_remember(request=self.request, response=response, user=user)
        return response


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{pluralize(seconds)}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{pluralize(minutes)}"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email; where this installation cannot send email it says so (and who
    can help) instead of pretending to have sent a message."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.READINGROOM_EMAIL_ENABLED:
            return render(request, "registration/password_reset_unavailable.html", status=503)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        # Each request sends an email: bounded per network, so nobody floods an inbox from here.
        if rate_limit_exceeded(key=f"password-reset:{client_network(request)}", limit=5, window_seconds=3600):
            return HttpResponse("Too many password-reset requests from your network; try again in an hour.", status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The reset link is the way in for someone kept waiting by failed sign-ins: it signs them
    in, forgets the failures and remembers this browser."""

    post_reset_login = True
    post_reset_login_backend = settings.AUTHENTICATION_BACKENDS[0]
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_waits_clear(username=form.user.get_username())
        known_browser_remember(request=self.request, response=response, user=form.user)
        messages.success(self.request, "Your password is changed and you are signed in.")
        return response
