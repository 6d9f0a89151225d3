"""What every command shares (commands/common.py): whether a run may fetch charts, and
where its output goes."""
from __future__ import annotations

from pathlib import Path

import pytest

from gitops_guard.config import Config
from gitops_guard.config_sections import RenderLimits
from tests.conftest import DATA, RunCli


@pytest.mark.parametrize(("flag", "config", "command_default", "fetch"), [
    (None, None, False, False),  # check: no
    (None, None, True, True),  # diff, ci: yes
    (None, True, False, True),  # the config beats the command's default
    (None, False, True, False),
    (True, False, False, True),  # the flag beats the config
    (False, True, True, False),
])
def test_fetch_charts_flag_then_config_then_the_command(
        flag: bool | None, config: bool | None, command_default: bool, fetch: bool) -> None:
    from gitops_guard.commands.common import with_fetch

    given = Config(Path("."), render=RenderLimits(fetch_charts=config))
    assert with_fetch(given, flag, command_default).render.fetch_charts is fetch


def test_an_unwritable_output_file_exits_2_naming_it(tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "no-such-dir" / "report.json"
    result = run_cli("check", "--no-builtin", "-o", "json", "--output-file", str(target),
                     str(DATA / "check" / "deployment-good.yaml"))
    assert result.code == 2
    assert f"{target}: cannot write" in result.err
    assert "Traceback" not in result.err
