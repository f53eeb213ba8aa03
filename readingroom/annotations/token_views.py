"""The account page where people make and revoke their API tokens (``tokens.py``) and import
their annotations from Hypothesis (``hypothesis.py``)."""

from __future__ import annotations

import json
from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from readingroom.ids import parse_id

from .hypothesis import annotations_import_hypothesis, hypothesis_rows
from .models import ApiToken, TokenScope
from .parsing import InvalidAnnotation
from .tokens import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What it is for, such as “notebook on my laptop”.")
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect)


@never_cache  # a new token is on the page once: no cache keeps it
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """GET: your tokens. POST ``create``: a new one, shown on the answer and never again; POST
    ``revoke`` with ``token``: that one stops working at once."""
    form = TokenForm()
    new_token = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token_id = parse_id(request.POST.get("token"))
        revoked = api_token_revoke(user=request.user, token_id=token_id) if token_id is not None else None
        if revoked is None:
            messages.error(request, "No such token.")
        else:
            messages.success(request, f"Token “{revoked.name}” revoked: it no longer works.")
        return redirect("api_tokens")
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, new_token = api_token_create(
                    user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = TokenForm()
    tokens = ApiToken.objects.filter(user=cast(User, request.user))
    status = 201 if new_token else 400 if request.method == "POST" else 200
    return render(
        request,
        "annotations/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=status,
    )


class HypothesisUploadForm(forms.Form):
    file = forms.FileField(help_text="Hypothesis's JSON export, or an answer of its search API.")


@login_required
@require_http_methods(["POST"])
def hypothesis_upload(request: HttpRequest) -> HttpResponse:
    """Import an uploaded Hypothesis file as the signed-in user's private annotations, and show
    what was imported, kept as orphans and refused."""
    form = HypothesisUploadForm(request.POST, request.FILES)
    error = report = None
    if not form.is_valid():
        error = "Choose a file to import."
    else:
        upload = form.cleaned_data["file"]
        if upload.size > settings.READINGROOM_MAX_IMPORT_BYTES:
            error = f"The file is larger than {settings.READINGROOM_MAX_IMPORT_BYTES:,} bytes."
        else:
            try:
                rows = hypothesis_rows(json.loads(upload.read()))
            except (ValueError, RecursionError):
                error = "The file is not JSON."
            except InvalidAnnotation as invalid:
                error = str(invalid)
            else:
                report = annotations_import_hypothesis(rows=rows, user=request.user)
    return render(
        request,
        "annotations/tokens_hypothesis.html",
        {"error": error, "report": report},
        status=400 if error else 200,
    )
