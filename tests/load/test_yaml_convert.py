"""Node tree to values: merge keys, aliases and the depth limit (load/yaml_convert.py)."""
from __future__ import annotations

from gitops_guard.load import load_bytes
from gitops_guard.load.base import LoadLimits


def test_merge_keys_and_aliases() -> None:
    text = b"base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n"
    assert load_bytes(text, "a.yaml").documents[0].data["other"] == {"x": 1, "y": 3}


def test_depth_limit_is_configurable() -> None:
    text = b"a: " + b"[" * 50 + b"]" * 50 + b"\n"
    result = load_bytes(text, "d.yaml", LoadLimits(max_depth=20))
    assert result.documents == []
    assert result.findings[0].rule_id == "GG004"
    assert "nesting deeper than 20" in result.findings[0].message
