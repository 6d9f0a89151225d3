from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli


def test_annotations_are_capped_per_type_most_severe_first(
    tmp_path: Path, run_cli: RunCli,
) -> None:
    docs = []
    for i in range(12):  # 12 errors (bad replicas) and 12 warnings (unknown kinds)
        docs.append(f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{i}}}\n"
                    "spec: {replicas: x, selector: {}, template: {}}\n")
        docs.append(f"apiVersion: example{i}.com/v1\nkind: Thing\nmetadata: {{name: t{i}}}\n")
    (tmp_path / "many.yaml").write_text("---\n".join(docs))
    result = run_cli("check", "--no-builtin", "-o", "github", str(tmp_path / "many.yaml"))
    lines = result.out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert (len(errors), len(warnings)) == (10, 10)
    assert lines.index(errors[-1]) < lines.index(warnings[0])
    assert lines[-1].startswith("::notice title=gitops-guard::4 more findings are not annotated")
    assert errors[0].startswith("::error file=")
    assert ",line=4,col=8,title=GG201 Deployment d0::spec.replicas" in errors[0]


def test_message_and_properties_are_escaped(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "a,b:c.yaml").write_text("a: [\n")
    result = run_cli("check", "--no-builtin", "-o", "github", str(tmp_path / "a,b:c.yaml"))
    (line,) = result.out.splitlines()
    assert "a%2Cb%3Ac.yaml" in line
