import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from benchdata.views import floor


def test_it_does_not_mount_the_floor_page_unless_benchmarking():
    with pytest.raises(NoReverseMatch):
        reverse("benchdata:floor")


def test_the_floor_page_answers_a_signed_in_person(user):
    request = RequestFactory().get("/bench/floor")
    request.user = user

    response = floor(request)

    assert response.status_code == 200
    assert response.content == b"Signed in as owner@example.com."


def test_the_floor_page_sends_an_anonymous_visitor_to_sign_in():
    request = RequestFactory().get("/bench/floor")
    request.user = AnonymousUser()

    response = floor(request)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
