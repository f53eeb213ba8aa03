"""Signing up, and signing in with a limit on failed attempts. Signing out and password changes
are Django's own views under /accounts/."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.views import LoginView
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from readingroom.loginlimits import LOCKOUT_MINUTES, client_address, login_attempt_record, login_attempts_exceeded


class SignupForm(UserCreationForm):
    display_name = forms.CharField(
        max_length=150, required=False, help_text="How others in a session see you (your username if empty)."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username"]

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
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return redirect(_safe_next(request))
    return render(request, "registration/signup.html", {"form": form, "next": _safe_next(request)})


class RateLimitedLoginView(LoginView):
    """Django's login, refusing further tries for a while after too many failures for one
    username or from one address (counted in the database, so every server process agrees)."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = client_address(request)
        if login_attempts_exceeded(username=username, address=address):
            form = self.get_form()
            form.add_error(None, f"Too many failed sign-ins. Try again in {LOCKOUT_MINUTES} minutes.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_attempt_record(username=self.request.POST.get("username", ""), address=client_address(self.request))
        return super().form_invalid(form)
