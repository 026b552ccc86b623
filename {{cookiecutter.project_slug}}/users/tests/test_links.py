"""users/links.py: the emailed links' tokens. LinkTokens repeats Django's check with a
lifetime of its own, using two of Django's private helpers: these tests hold it to
Django's own tokens, so that a Django upgrade that changes them fails here first."""

import pytest
from django.contrib.auth.tokens import default_token_generator

from users import links

pytestmark = pytest.mark.django_db

ALL = [links.VERIFY_EMAIL, links.RESET_PASSWORD, links.CONFIRM_EMAIL]


def test_link_tokens_check_djangos_tokens_as_django_does(user):
    """With Django's salt and lifetime, LinkTokens accepts what Django makes."""
    token = default_token_generator.make_token(user)
    assert links.LinkTokens().check_token(user, token)
    tampered = token[:-1] + ("1" if token.endswith("0") else "0")
    assert not links.LinkTokens().check_token(user, tampered)


def test_each_kind_of_link_has_tokens_of_its_own(user):
    """A reset token is no verification or email-change token, and so on."""
    made = {link.page: link.tokens.make_token(user) for link in ALL}
    for link in ALL:
        for page, token in made.items():
            assert link.tokens.check_token(user, token) == (page == link.page)


def test_the_lifetime_is_the_links_own(user, settings):
    """A verification link outlives PASSWORD_RESET_TIMEOUT, and not its own lifetime."""
    token = links.VERIFY_EMAIL.tokens.make_token(user)
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert links.VERIFY_EMAIL.tokens.check_token(user, token)
    settings.EMAIL_VERIFICATION_TIMEOUT = -1
    assert not links.VERIFY_EMAIL.tokens.check_token(user, token)


@pytest.mark.parametrize(
    "uid",
    [
        "",
        "!!!",
        "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nw",
        "LTE",
        "MA",
        "YWJj",
    ],
    ids=["empty", "not base64", "beyond the largest key", "negative", "zero", "text"],
)
def test_a_bad_uid_finds_nobody(user, uid):
    token = links.VERIFY_EMAIL.tokens.make_token(user)
    assert links.VERIFY_EMAIL.user(uid, token) is None
