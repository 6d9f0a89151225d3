"""YAML 1.1's implicit types, as Kubernetes reads them (load/yaml_loader.py)."""
from __future__ import annotations

from gitops_guard.load import load_bytes


def test_kubernetes_scalars_timestamps_stay_strings_and_keys_are_text() -> None:
    doc = load_bytes(b"a: 2024-01-01\nb: 0x10\non: 1\n80: port\nc: ~\nd: 1.5\n", "s.yaml")
    assert doc.documents[0].data == {
        "a": "2024-01-01", "b": 16, "on": 1, "80": "port", "c": None, "d": 1.5}
