"""Password guessing is slowed down, and nobody can lock another person out (hardening #13.1)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from readingroom.loginlimits.models import FailedLogin
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase"


def sign_in(client, username, password=PASSWORD, path=None):
    return client.post(path or reverse("login"), {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def pass_time(seconds: float) -> None:
    """Move every recorded failure back in time, as if the client had waited."""
    for failure in FailedLogin.objects.all():
        FailedLogin.objects.filter(pk=failure.pk).update(at=failure.at - timedelta(seconds=seconds))


@pytest.fixture(autouse=True)
def slow_clock(monkeypatch):
    """Waits grow in seconds (1, 2, 4 …): on a busy machine a loop of forty tries outlasts the
    first of them, and a try the test expects to wait would be let in. Here the clock moves a
    microsecond each time it is read, whatever the machine's speed: events keep their order, and
    a test that needs time to pass moves the failures back (``age``)."""
    start, ticks = timezone.now(), itertools.count()
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(microseconds=next(ticks)))


def test_it_signs_in_with_the_right_password_after_a_few_typos(client):
    make_user("vera")
    for _ in range(3):
        assert sign_in(client, "vera", "wrong").status_code == 200
    assert sign_in(client, "vera").status_code == 302 and signed_in(client)


def test_failures_make_the_next_try_wait_longer_each_time(client):
    make_user("vera")
    for _ in range(4):
        sign_in(client, "vera", "wrong")
    waiting = sign_in(client, "vera")
    assert waiting.status_code == 429 and not signed_in(client)
    assert "Too many failed sign-ins. Try again in" in waiting.content.decode()
    assert waiting["Retry-After"] == "1"
    pass_time(2)
    assert sign_in(client, "vera", "wrong").status_code == 200  # the wait is over: it may try
    assert sign_in(client, "vera")["Retry-After"] == "2"  # and the next wait is longer
    pass_time(60)
    assert sign_in(client, "vera").status_code == 302 and signed_in(client)


@pytest.mark.parametrize("variant", ["vera ", " vera", "vera\u00a0", "ｖｅｒａ", "VERA", "Vera"])
def test_spellings_of_a_username_share_one_count(client, variant):
    make_user("vera")
    for _ in range(4):
        sign_in(client, "vera", "wrong")
    response = sign_in(client, variant)
    assert response.status_code == 429 and not signed_in(client)


def test_a_stranger_guessing_from_many_addresses_does_not_keep_the_owner_out_of_her_browser():
    make_user("vera")
    owner = from_address("198.51.100.7")
    assert sign_in(owner, "vera").status_code == 302
    owner.post(reverse("logout"))
    for number in range(40):
        sign_in(from_address(f"203.0.113.{number}"), "vera", "wrong")
    stranger = from_address("203.0.113.250")
    assert sign_in(stranger, "vera").status_code == 429  # guessing across addresses is slowed
    response = sign_in(owner, "vera")
    assert response.status_code == 302 and signed_in(owner)  # the owner's browser is known


def test_the_owner_is_told_of_failed_attempts_since_her_last_sign_in():
    make_user("vera")
    owner = from_address("198.51.100.7")
    sign_in(owner, "vera")
    owner.post(reverse("logout"))
    for _ in range(2):
        sign_in(from_address("203.0.113.9"), "vera", "wrong")
    page = owner.get(sign_in(owner, "vera")["Location"]).content.decode()
    assert "2 failed sign-in attempts on your account since you last signed in" in page
    assert "from 203.0.113.9" in page
    owner.post(reverse("logout"))
    assert "failed sign-in" not in owner.get(sign_in(owner, "vera")["Location"]).content.decode()


def test_many_usernames_from_one_address_are_slowed_but_known_browsers_there_still_sign_in():
    make_user("carol")
    colleague = from_address("192.0.2.1")
    assert sign_in(colleague, "carol").status_code == 302
    colleague.post(reverse("logout"))
    sprayer = from_address("192.0.2.1")  # the same office address, another browser
    for number in range(31):
        sign_in(sprayer, f"guess{number}", "wrong")
    assert sign_in(from_address("192.0.2.1"), "carol").status_code == 429
    assert sign_in(colleague, "carol").status_code == 302


def test_a_forged_known_browser_cookie_counts_for_nothing():
    make_user("vera")
    for number in range(40):
        sign_in(from_address(f"203.0.113.{number}"), "vera", "wrong")
    forger = from_address("203.0.113.251")
    forger.cookies["readingroom_known"] = '["vera"]:forged:signature'
    assert sign_in(forger, "vera").status_code == 429


def test_the_admin_sign_in_shares_the_count(django_user_model, client):
    django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    for _ in range(4):
        client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    assert sign_in(client, "boss", path="/admin/login/").status_code == 429
    assert sign_in(client, "boss").status_code == 429


def test_a_reset_link_lets_a_waiting_user_straight_in(settings):
    settings.READINGROOM_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("vera", email="vera@example.org")
    for number in range(40):
        sign_in(from_address(f"203.0.113.{number}"), "vera", "wrong")
    vera = from_address("198.51.100.7")
    assert sign_in(vera, "vera").status_code == 429

    recorded = FailedLogin.objects.filter(username="vera").count()
    vera.post(reverse("password_reset"), {"email": "vera@example.org"})
    [message] = mail.outbox
    link = next(word for word in message.body.split() if "/accounts/reset/" in word)
    form_page = vera.get(link, follow=True)
    response = vera.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert response.status_code == 302 and signed_in(vera)
    assert not FailedLogin.objects.filter(username="vera", counts=True).exists()
    assert FailedLogin.objects.filter(username="vera").count() == recorded  # kept, to be reported
    vera.post(reverse("logout"))
    assert sign_in(vera, "vera", "another-long-passphrase").status_code == 302


def test_without_a_mail_server_the_reset_page_says_whom_to_ask(settings, caplog):
    settings.READINGROOM_EMAIL_ENABLED = False
    make_user("vera", email="vera@example.org")
    page = Client().get(reverse("password_reset"))
    assert page.status_code == 503 and "cannot send email" in page.content.decode()
    response = Client().post(reverse("password_reset"), {"email": "vera@example.org"})
    assert response.status_code == 503
    assert not [record for record in caplog.records if record.exc_info]


def test_old_failures_are_forgotten(client):
    make_user("vera")
    for _ in range(10):
        FailedLogin.objects.create(username="vera", address="127.0.0.1")
    FailedLogin.objects.update(at=timezone.now() - timedelta(hours=2))
    assert sign_in(client, "vera").status_code == 302


def test_a_look_alike_account_does_not_make_a_browser_known_for_the_real_one():
    make_user("Straße")
    make_user("STRASSE")  # another account, whose name case-folds to the same "strasse"
    attacker = from_address("203.0.113.77")
    assert sign_in(attacker, "STRASSE").status_code == 302
    for number in range(40):
        sign_in(from_address(f"198.51.100.{number}"), "Straße", "wrong")
    assert sign_in(attacker, "Straße", "wrong").status_code == 429


def test_a_stranger_behind_the_same_address_does_not_keep_a_known_browser_out():
    make_user("vera")
    owner = from_address("192.0.2.44")
    assert sign_in(owner, "vera").status_code == 302
    owner.post(reverse("logout"))
    stranger = from_address("192.0.2.44")  # the same office or carrier address
    for _ in range(12):
        sign_in(stranger, "vera", "wrong")
    assert sign_in(stranger, "vera").status_code == 429
    assert sign_in(owner, "vera").status_code == 302 and signed_in(owner)


def test_rotating_addresses_within_one_ipv6_64_counts_as_one_client():
    make_user("vera")
    for number in range(4):
        sign_in(from_address(f"2001:db8:1:2::{number + 1}"), "vera", "wrong")
    assert sign_in(from_address("2001:db8:1:2::99"), "vera").status_code == 429
    assert sign_in(from_address("2001:db8:1:3::1"), "vera").status_code == 302  # another network


def test_a_password_change_makes_a_known_browser_a_stranger_again():
    vera = make_user("vera")
    owner = from_address("198.51.100.7")
    sign_in(owner, "vera")
    owner.post(reverse("logout"))
    vera.set_password("a-new-long-passphrase")
    vera.save()
    for number in range(40):
        sign_in(from_address(f"203.0.113.{number}"), "vera", "wrong")
    assert sign_in(owner, "vera", "a-new-long-passphrase").status_code == 429


def test_accounts_cannot_be_made_by_the_hundred_from_one_network(settings):
    settings.READINGROOM_SIGNUPS_PER_HOUR = 3
    client = Client()
    for number in range(3):
        data = {"username": f"bot{number}", "password1": PASSWORD, "password2": PASSWORD}
        assert client.post(reverse("signup"), data).status_code == 302
        client.post(reverse("logout"))
    data = {"username": "bot9", "password1": PASSWORD, "password2": PASSWORD}
    refused = client.post(reverse("signup"), data)
    assert refused.status_code == 429 and "Too many accounts" in refused.content.decode()


def test_guesses_sent_at_once_count_each_other():
    """Each request records its failure before its password is checked, so requests sent in
    parallel, none of which has been answered yet, do not all pass the check."""
    from readingroom.loginlimits.services import sign_in_attempt_begin

    make_user("vera")
    started = [sign_in_attempt_begin(username="vera", address="203.0.113.5", browser=None) for _ in range(10)]
    assert sum(1 for wait, attempt in started if attempt is not None) == 4  # 3 free, then a wait
    assert all(wait > 0 for wait, attempt in started if attempt is None)


def test_a_waiting_guess_learns_nothing_about_the_password(client):
    make_user("vera")
    for _ in range(4):
        sign_in(client, "vera", "wrong")
    right = sign_in(client, "vera")
    wrong = sign_in(client, "vera", "still-wrong")
    assert right.status_code == wrong.status_code == 429
    for page in (right, wrong):
        assert "correct username and password" not in page.content.decode()
    import re

    def page_without_tokens(response) -> str:  # CSRF tokens are masked afresh for every response
        return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode()).replace(response["Retry-After"], "")

    assert page_without_tokens(right) == page_without_tokens(wrong)
