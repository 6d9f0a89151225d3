"""Unpacking a chart archive: a chart as `helm package` writes it unpacks; an archive that
would write outside its directory, hold links or lack a Chart.yaml is refused."""
from __future__ import annotations

import stat
import tarfile
from pathlib import Path

import pytest

from gitops_guard.render.charts import extract
from gitops_guard.render.charts.extract import UnsafeArchiveError, extract_chart
from tests.render.charts.archives import CHART_YAML, archive, chart_archive


def test_a_packaged_chart_unpacks_privately(tmp_path: Path) -> None:
    chart = extract_chart(chart_archive(tmp_path / "web.tgz"), tmp_path / "out")
    assert chart == tmp_path / "out" / "web"
    assert (chart / "templates" / "cm.yaml").read_bytes() == b"kind: ConfigMap\n"
    assert stat.S_IMODE((chart / "values.yaml").stat().st_mode) == 0o600
    assert stat.S_IMODE((chart / "templates").stat().st_mode) == 0o700


@pytest.mark.parametrize(("members", "links", "error"), [
    ([("web/Chart.yaml", CHART_YAML), ("../evil.yaml", b"x")], {}, "escapes"),
    ([("web/Chart.yaml", CHART_YAML), ("web/../../evil", b"x")], {}, "escapes"),
    ([("/etc/evil", b"x")], {}, "escapes"),
    ([("web/Chart.yaml", CHART_YAML)], {"web/link": (tarfile.SYMTYPE, "/etc/passwd")},
     "link or special file"),
    ([("web/Chart.yaml", CHART_YAML)], {"web/hard": (tarfile.LNKTYPE, "web/Chart.yaml")},
     "link or special file"),
    ([("web/values.yaml", b"a: 1\n")], {}, "one directory with a Chart.yaml"),
    ([("a/Chart.yaml", CHART_YAML), ("b/Chart.yaml", CHART_YAML)], {},
     "one directory with a Chart.yaml"),
])
def test_unsafe_or_malformed_archives_are_refused(
        tmp_path: Path, members: list[tuple[str, bytes | None]],
        links: dict[str, tuple[bytes, str]], error: str) -> None:
    with pytest.raises(UnsafeArchiveError, match=error):
        extract_chart(archive(tmp_path / "bad.tgz", members, links), tmp_path / "out")
    assert not (tmp_path / "evil.yaml").exists()


def test_size_limits_stop_a_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = chart_archive(tmp_path / "big.tgz", values=b"x" * 2000)
    monkeypatch.setattr(extract, "MAX_MEMBER_BYTES", 1000)
    with pytest.raises(UnsafeArchiveError, match="larger than 1000 bytes"):
        extract_chart(big, tmp_path / "a")
    monkeypatch.setattr(extract, "MAX_MEMBER_BYTES", 1 << 20)
    monkeypatch.setattr(extract, "MAX_TOTAL_BYTES", 1500)
    with pytest.raises(UnsafeArchiveError, match="more than 1500 bytes"):
        extract_chart(big, tmp_path / "b")
    monkeypatch.setattr(extract, "MAX_MEMBERS", 2)
    with pytest.raises(UnsafeArchiveError, match="more than 2 members"):
        extract_chart(big, tmp_path / "c")


def test_a_file_that_is_not_a_gzip_tar_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.tgz").write_bytes(b"<html>not found</html>")
    with pytest.raises(UnsafeArchiveError, match="cannot be read"):
        extract_chart(tmp_path / "x.tgz", tmp_path / "out")
