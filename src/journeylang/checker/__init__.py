"""The checker: every static rule over a workspace, reported together, sorted by place."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..workspace import Workspace


def check_workspace(workspace: Workspace) -> list[Diagnostic]:
    """Every problem found in the workspace, sorted by file and position."""
    diagnostics = list(workspace.syntax_errors)
    return sorted(diagnostics, key=Diagnostic.sort_key)
