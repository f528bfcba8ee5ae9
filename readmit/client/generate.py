"""Write ``readmit/client/types.py``: one ``TypedDict`` per schema of the OpenAPI document.

    python -m readmit.client.generate                 # from this checkout's API (needs Django)
    python -m readmit.client.generate openapi.json    # from a saved document
    python -m readmit.client.generate https://readmit.example.org/api/v1/openapi.json

It prints the module on standard output. The types are JSON as it travels: dates, times and
UUIDs are ``str``. tests/exchange/test_client_types.py checks that every type in
``types.py`` still matches the document; after an API change, run this again.
"""

from __future__ import annotations

import json
import keyword
import sys
import textwrap
import urllib.request
from typing import Any

HEADER = '''"""The exchange API's schemas as TypedDicts, generated from /api/v1/openapi.json.

Do not edit: ``python -m readmit.client.generate > readmit/client/types.py``.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

__all__ = [{names}]
'''


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict[str, Any]) -> str:
    """The Python type of one JSON schema, as source."""
    if "$ref" in schema:
        return _name(schema["$ref"])
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            parts: list[str] = []
            for option in schema[combinator]:
                part = type_of(option)
                if part not in parts:
                    parts.append(part)
            return " | ".join(parts)
    if "allOf" in schema:
        if len(schema["allOf"]) == 1:
            return type_of(schema["allOf"][0])
        return "dict[str, Any]"
    if "enum" in schema:
        return f"Literal[{', '.join(repr(v) for v in schema['enum'])}]"
    if "const" in schema:
        return f"Literal[{schema['const']!r}]"
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(type_of({**schema, "type": k}) for k in kind)
    simple = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
    if kind in simple:
        return simple[kind]
    if kind == "null":
        return "None"
    if kind == "array":
        return f"list[{type_of(schema.get('items', {}))}]"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"dict[str, {type_of(schema['additionalProperties'])}]"
    if kind == "object" and "properties" not in schema:
        return "dict[str, Any]"
    return "Any"


def _refs(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {_name(schema["$ref"])} if "$ref" in schema else set()
        for value in schema.values():
            found |= _refs(value)
        return found
    if isinstance(schema, list):
        return set().union(*(_refs(v) for v in schema)) if schema else set()
    return set()


def _ordered(schemas: dict[str, Any]) -> list[str]:
    """Names with every referenced schema before the one that uses it (document order else)."""
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done or name in path or name not in schemas:
            return
        for ref in sorted(_refs(schemas[name])):
            visit(ref, (*path, name))
        done.append(name)

    for name in schemas:
        visit(name, ())
    return done


def blocks(document: dict[str, Any]) -> dict[str, str]:
    """{schema name: its source}, in an order where each name is defined before it is used."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    out: dict[str, str] = {}
    for name in _ordered(schemas):
        schema = schemas[name]
        if "properties" not in schema:
            out[name] = f"{name} = {type_of(schema)}\n"
            continue
        required = set(schema.get("required", []))
        fields = []
        for key, prop in schema["properties"].items():
            annotation = type_of(prop)
            if key not in required:
                annotation = f"NotRequired[{annotation}]"
            fields.append((key, annotation))
        doc = (schema.get("description") or schema.get("title") or name).strip().splitlines()[0]
        if all(key.isidentifier() and not keyword.iskeyword(key) for key, _ in fields):
            body = "".join(f"    {key}: {annotation}\n" for key, annotation in fields)
            doc = textwrap.fill(doc, width=90, subsequent_indent="    ")
            out[name] = f'class {name}(TypedDict):\n    """{doc}"""\n\n{body}'
        else:
            items = "".join(f"        {key!r}: {annotation},\n" for key, annotation in fields)
            out[name] = f"{name} = TypedDict(\n    {name!r},\n    {{\n{items}    }},\n)\n"
    return out


def render(document: dict[str, Any]) -> str:
    parts = blocks(document)
    names = ", ".join(repr(n) for n in sorted(parts))
    return HEADER.format(names=names) + "".join(f"\n\n{block}" for block in parts.values())


def load(source: str | None) -> dict[str, Any]:
    if source is None:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        django.setup()
        from readmit.exchange.api import api

        document: dict[str, Any] = json.loads(
            json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str)
        )
        return document
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310
            loaded: dict[str, Any] = json.load(response)
            return loaded
    with open(source, encoding="utf-8") as file:
        read: dict[str, Any] = json.load(file)
        return read


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    sys.stdout.write(render(load(args[0] if args else None)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
