"""The checker: every static rule over a workspace, reported together, sorted by place."""

from __future__ import annotations

import pathlib
from typing import Mapping

from .. import nodes as n
from ..diagnostics import Diagnostic, apply_ignores
from ..inputs import AUDIENCES_FILE, InputError, load_audiences
from ..lockfile import Lock, LockError, lock_path, read_lock
from ..source import Source
from ..workspace import Workspace, display_name
from .context import Context
from .rule import Rule
from .rules import campaigns, guardrails, names, structure, tests, typing, versions
from .sites import KnownSites

#: Every rule, in code order. docs/diagnostics.md shows each with a failing example.
RULES: tuple[Rule, ...] = (
    names.unknown_audience, names.unknown_event, names.unknown_function,
    names.wrong_argument_count, names.unknown_name, names.no_event_here, names.unknown_type,
    names.unknown_time_zone, names.conflicting_declaration, names.action_declared_twice,
    names.audience_in_itself, names.unknown_jump_target,
    typing.unknown_attribute, typing.incompatible_operands, typing.condition_not_boolean,
    typing.wait_until_needs_a_moment, typing.set_changes_type, typing.cannot_index,
    typing.wrong_argument_type, typing.comprehension_over_a_list,
    structure.missing_entry, structure.several_entries, structure.header_order,
    structure.repeated_property, structure.duplicate_branch, structure.join_without_fork,
    structure.join_unknown_branch, structure.primary_not_joined, structure.fork_without_join,
    structure.split_percentages, structure.unreachable_after_exit,
    structure.timeout_without_within, structure.empty_fork, structure.repeated_action_setting,
    structure.jump_into_audience_journey, structure.jump_from_audience_journey, structure.jump_loop,
    guardrails.wait_too_long, guardrails.timeout_too_long, guardrails.reentry_period_too_long,
    guardrails.waits_longer_than_timeout, guardrails.too_many_activities,
    guardrails.holdout_too_large, guardrails.read_too_often, guardrails.rate_out_of_bounds,
    guardrails.action_cap_out_of_bounds, guardrails.cap_out_of_bounds,
    guardrails.reentry_period_beyond_timeout,
    guardrails.reentry_without_effect,
    versions.version_numbering, versions.entry_changes_between_versions,
    versions.reentry_changes_between_versions, versions.published_version_changed,
    versions.published_version_missing, versions.one_draft_at_the_top,
    versions.locked_journey_missing,
    tests.unknown_test_journey, tests.unknown_test_profile, tests.message_never_sent,
    tests.bad_test_instant, tests.unknown_reason, tests.duplicate_test_name,
    tests.unknown_statement, tests.test_value_not_constant, tests.profile_given_twice,
    campaigns.not_in_a_campaign, campaigns.campaign_channel, campaigns.campaign_read_rate,
    campaigns.wait_until_per_member, campaigns.set_activity_outside_campaign,
    campaigns.audience_saved_twice, campaigns.campaign_name_taken,
)


def check_workspace(workspace: Workspace, audiences: Mapping[str, list] | None = None,
                    lock: Lock | None | bool = True,
                    known_sites: KnownSites | None = None) -> list[Diagnostic]:
    """Every problem found in the workspace, sorted by file and position.

    `audiences` are audiences given as data (name → profile ids). `lock` is the workspace's
    lock file: True (the default) reads `journeys.lock` from the workspace root; a broken one
    is reported (J701/J702) and its rules skipped. `known_sites`, kept from one check to the
    next, spares working out again the sites of the journeys that did not change.
    """
    diagnostics = list(workspace.syntax_errors)
    lock_source = None
    if lock is True:
        try:
            lock = read_lock(workspace.root, display_name(lock_path(workspace.root)))
        except LockError as error:
            diagnostics.append(error.diagnostic)
            lock, lock_source = None, error.source
    if lock is not None:
        lock_source = lock.source
    if lock_source is not None:
        # so that a lock file diagnostic is shown with its line, like a journey's
        workspace.sources.setdefault(lock_source.name, lock_source)
    if audiences is None:
        audiences, problems = _audiences_beside(workspace)
        diagnostics.extend(problems)
        audiences = {**_audiences_of_tests(workspace), **audiences}
    context = Context(workspace, audiences, lock or None, known_sites)
    for rule in RULES:
        diagnostics.extend(rule.run(context))
    return apply_ignores(diagnostics, {name: source for name, source in workspace.sources.items()
                                       if name in workspace.programs})


def _audiences_of_tests(workspace: Workspace) -> dict:
    """The audiences the workspace's tests give as data (docs/testing.md): a journey may read
    one that only its tests give."""
    return {given.name.name: [] for program in workspace.programs.values()
            for test in program.tests for given in test.given(n.TestAudience)}



def _audiences_beside(workspace: Workspace) -> tuple[dict, list[Diagnostic]]:
    """Audiences given as data in `audiences.json` files, in the workspace root and beside its
    journeys (the files `journey run` would read)."""
    found: dict = {}
    problems: list[Diagnostic] = []
    directories = {workspace.root, *(pathlib.Path(name).parent for name in workspace.sources)}
    for directory in sorted(directories):
        path = directory / AUDIENCES_FILE
        if not path.is_file():
            continue
        try:
            found.update(load_audiences(path))
        except InputError as error:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:  # unreadable: the error says so
                text = ""
            source = Source(display_name(path), text)
            workspace.sources.setdefault(source.name, source)
            problems.append(Diagnostic("J002", error.message, _place(source, error)))
    return found, problems


def _place(source: Source, error: InputError):
    """Where a reader's error points in its file: a character, a line, or the start."""
    if error.line is None:
        return source.span(0, 0)
    line = source.line_span(error.line)
    if error.column is None:
        return line
    offset = min(line.start + error.column - 1, line.end)
    return source.span(offset, offset)

