# SPDX-License-Identifier: Apache-2.0
"""Validators for the JSON Schemas in schemas/, which find each other by their `$id`s
(https://symtri.example/schemas/NAME) with no network: through jsonschema's `referencing` registry where
it exists (jsonschema 4.18+), else through RefResolver with every schema in its store (Debian 12's
python3-jsonschema 4.10). The RefResolver of newer jsonschema releases is deprecated and loses its place
after a $ref into another schema, so it is used only where there is nothing else."""
import json
import os
import pathlib

from jsonschema import Draft202012Validator

SRC = pathlib.Path(os.environ.get("SYMTRI_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SCHEMAS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((SRC / "schemas").glob("*.schema.json"))}

try:
    from referencing import Registry, Resource

    _REGISTRY = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in SCHEMAS.values())

    def validator(name):
        return Draft202012Validator(SCHEMAS[name], registry=_REGISTRY)

except ImportError:
    from jsonschema import RefResolver

    _STORE = {s["$id"]: s for s in SCHEMAS.values()}

    def validator(name):
        return Draft202012Validator(SCHEMAS[name], resolver=RefResolver.from_schema(SCHEMAS[name], store=_STORE))
