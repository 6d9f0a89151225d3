"""JSON Schema files compiled offline: local `$ref`s under the allowed dirs resolve; the
network and files elsewhere are refused."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.validate.schemafile import SchemaFileError, compile_local, read_documents


def test_a_relative_ref_resolves_beside_the_schema(tmp_path: Path) -> None:
    (tmp_path / "defs.json").write_text('{"$defs": {"size": {"type": "integer"}}}')
    schema = {"type": "object", "properties": {"size": {"$ref": "defs.json#/$defs/size"}}}
    validator = compile_local(schema, tmp_path / "widget.json")
    assert validator.is_valid({"size": 1}) and not validator.is_valid({"size": "big"})


@pytest.mark.parametrize(("ref", "error"), [
    ("https://example.com/defs.json", "validates offline and does not fetch"),
    ("../outside.json", "$ref outside the repository and schema dirs"),
])
def test_refs_to_the_network_or_outside_are_refused(
        tmp_path: Path, ref: str, error: str) -> None:
    (tmp_path / "outside.json").write_text('{"type": "integer"}')
    (tmp_path / "schemas").mkdir()
    schema = {"properties": {"size": {"$ref": ref}}}
    with pytest.raises((SchemaFileError, ValueError)) as raised:
        compile_local(schema, tmp_path / "schemas" / "w.json").validate({"size": 1})
    assert error in str(raised.value)


def test_what_is_not_a_schema_says_so(tmp_path: Path) -> None:
    with pytest.raises(SchemaFileError, match="must be an object or a boolean"):
        compile_local([1], tmp_path / "w.json")
    with pytest.raises(SchemaFileError, match="invalid schema"):
        compile_local({"type": 7}, tmp_path / "w.json")


def test_read_documents_gives_positions_and_parse_problems(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("a: 1\n---\nb: [\n")
    docs, problems = read_documents(tmp_path / "a.yaml", "schemas/a.yaml")
    assert [d.path for d in docs] == ["schemas/a.yaml"]
    assert [p.location.path for p in problems] == ["schemas/a.yaml"]
    with pytest.raises(SchemaFileError, match=r"cannot read schemas/none\.yaml"):
        read_documents(tmp_path / "none.yaml", "schemas/none.yaml")
