"""``GET /api/v1/search?q=`` with real bearer tokens: the case list's visibility."""

from __future__ import annotations

from tests.exchange.conftest import PROBLEM


def test_the_api_finds_a_cyrillic_name_typed_in_latin_and_says_why(api, world, people):
    response = api.get("/api/v1/search", world.user("us_caseworker"), query={"q": "Radulovic"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["reference"] for r in body["results"]] == [people.ref("radulovic")]
    assert body["results"][0]["why"] == [
        {"field": "name", "word": "Radulovic", "part": "Радуловић", "how": "same letters"}
    ]


def test_the_api_never_finds_another_partys_person(api, world, people, outsider_case):
    for query in ("Vesna Lazovic", "P02250943", outsider_case.reference):
        body = api.get("/api/v1/search", world.user("us_caseworker"), query={"q": query}).json()
        assert outsider_case.reference not in [r["reference"] for r in body["results"]], query
    mine = api.get("/api/v1/search", world.user("me_caseworker"), query={"q": "Lazovic"}).json()
    assert [r["reference"] for r in mine["results"]] == [outsider_case.reference]


def test_the_api_refuses_a_role_without_case_files(api, world, people):
    response = api.get("/api/v1/search", world.user("us_administrator"), query={"q": "Lazovic"})
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"].endswith("wrong-role")
    ok = api.get("/api/v1/search", world.user("us_auditor"), query={"q": "Lazovic"})
    assert ok.status_code == 200


def test_an_empty_query_is_refused_naming_the_parameter(api, world):
    response = api.get("/api/v1/search", world.user("us_caseworker"), query={"q": ""})
    assert response.status_code == 422
    assert "q" in response.content.decode()
