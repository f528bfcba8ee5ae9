"""readmit/client/types.py is what ``python -m readmit.client.generate`` makes of our own
OpenAPI document: every type in it matches its schema (compared as syntax trees, so the
formatter may reflow it)."""

from __future__ import annotations

import ast
from pathlib import Path

import readmit.client.types
from readmit.client.generate import blocks, render


def _definitions(source: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = ast.dump(node)
        elif (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id != "__all__"
        ):
            found[node.targets[0].id] = ast.dump(node.value)
    return found


def test_every_client_type_matches_its_schema_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    committed = _definitions(Path(readmit.client.types.__file__).read_text(encoding="utf-8"))
    generated = _definitions(render(document))
    assert committed, "no types in readmit/client/types.py"
    stale = sorted(name for name in committed if committed[name] != generated.get(name))
    assert not stale, (
        f"{stale} differ from /api/v1/openapi.json: run "
        "`python -m readmit.client.generate > readmit/client/types.py && "
        "ruff format readmit/client/types.py`"
    )


def test_the_types_the_client_uses_are_all_in_the_document(client):
    document = client.get("/api/v1/openapi.json").json()
    used = {"AgreementOut", "CaseOut", "CasePage", "ListOut", "ImportOut", "RunOut", "MatchOut"}
    assert used <= set(blocks(document))


def test_a_schema_changed_in_the_document_is_caught_as_a_stale_type(client):
    document = client.get("/api/v1/openapi.json").json()
    document["components"]["schemas"]["CaseOut"]["properties"]["invented"] = {"type": "string"}
    committed = _definitions(Path(readmit.client.types.__file__).read_text(encoding="utf-8"))
    assert committed["CaseOut"] != _definitions(render(document))["CaseOut"]
