"""Audiences as a run has them: the lists given as data, and the declared predicates, each
evaluated on a profile when asked (`profile in audience`) or over all profiles (a read)."""

from __future__ import annotations

from ..core.values import JourneyRuntimeError
from .expressions import compile_expression
from .instances import Thread


class Audiences:
    def __init__(self, data, decls, local):
        """`data`: {name: [profile ids]}; `decls`: the `audience` declarations; `local`: the
        clock the predicates read (in UTC)."""
        self.data = dict(data or {})  # saved audiences change it (`save audience`)
        self.predicates = {decl.name.name: compile_expression(decl.condition, local)
                           for decl in decls}
        self.sets: dict[str, frozenset] = {}  # a data audience's ids, made when first asked

    def contains(self, name: str, path) -> bool:
        """Whether the profile of `path` (a thread, or what stands for one) is in the audience
        now: a data audience's list, or a declared audience's predicate on the profile."""
        ids = self.sets.get(name)
        if ids is None and name in self.data:
            ids = self.sets[name] = frozenset(self.data[name])
        if ids is not None:
            return path.instance.profile_id in ids
        predicate = self.predicates.get(name)
        return predicate is not None and predicate(path) is True

    def save(self, name: str, ids: list[str], add: bool) -> None:
        """A campaign's `save audience`: `ids` replace the data audience `name`, or (`add`) are
        added to it, each member once, in the order first saved."""
        kept = self.data.get(name, []) if add else []
        self.data[name] = list(dict.fromkeys([*kept, *ids]))
        self.sets.pop(name, None)

    def members(self, name: str, profiles, unknown) -> list[str]:
        """The members of an audience, in its order: a data audience's list order (ids that are
        not among the profiles told to `unknown`), a declared one's in the profiles' order,
        its predicate evaluated once on each (one that fails there leaves the profile out)."""
        if name in self.data:
            members = []
            for profile_id in self.data[name]:
                if profile_id in profiles:
                    members.append(profile_id)
                else:
                    unknown(profile_id)
            return members
        predicate = self.predicates.get(name)
        if predicate is None:
            return []
        members = []
        for profile_id, profile in profiles.items():
            try:
                if predicate(Thread(Probe(profile, profile_id, None), None, None)) is True:
                    members.append(profile_id)
            except JourneyRuntimeError:
                continue
        return members


class Probe:
    """Stands in for an instance where only the profile is readable (entry filters, audiences)."""

    __slots__ = ("profile", "profile_id", "journey")

    def __init__(self, profile, profile_id, journey):
        self.profile = profile
        self.profile_id = profile_id
        self.journey = journey
