"""`journey run --scheduler` without the extra journeylang[dask] is a usage error (exit 2)
that says how to install it, before anything is read."""

from __future__ import annotations

import sys

from click.testing import CliRunner

from journeylang.cli import main

from ..conftest import EXAMPLES


def test_scheduler_without_dask_is_a_usage_error_saying_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    result = CliRunner().invoke(main, ["run", str(EXAMPLES / "welcome"), "--scheduler",
                                       "tcp://127.0.0.1:9"], prog_name="journey")
    assert result.exit_code == 2
    assert "--scheduler needs Dask: pip install 'journeylang[dask]'" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
