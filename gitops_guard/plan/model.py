"""Values of the plan stage: resource identity, field changes, resource changes, plans."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

# Actions a resource can take in a plan, in display order.
ADDED, CHANGED, RENAMED, REMOVED, UNCHANGED = "added", "changed", "renamed", "removed", "unchanged"
ACTIONS = (ADDED, CHANGED, RENAMED, REMOVED)


class Identity(NamedTuple):
    """What makes two manifests the same object: group/kind/namespace/name (no version)."""

    group: str
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        kind = f"{self.kind}.{self.group}" if self.group and "." in self.group else self.kind
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{kind} {ns}{self.name}"


@dataclass(frozen=True)
class Masked:
    """A secret value: only its length (bytes) and a salted digest, never the value."""

    nbytes: int
    digest: str = field(repr=False)

    def __str__(self) -> str:
        return f"<secret, {self.nbytes} bytes>"


class FieldChange(NamedTuple):
    """One field-level difference.

    op: changed | added | removed | reordered | masked.
    For `masked`, before/after are byte lengths (None when the key is absent).
    For `reordered`, before/after are the item keys in old and new order.
    `text_diff` is a compact unified diff for multi-line strings.
    """

    path: str
    op: str
    before: Any = None
    after: Any = None
    text_diff: tuple[str, ...] = ()


class Risk(NamedTuple):
    code: str  # destructive-delete | immutable-field | scale-to-zero | rbac-widened | ...
    message: str
    level: int = 1  # 2 = will break or destroy; 1 = worth a second look


@dataclass(frozen=True)
class ResourceChange:
    identity: Identity
    action: str  # added | changed | renamed | removed
    api_version: str = ""  # after (or before, for removals)
    before_api_version: str = ""
    renamed_from: Identity | None = None
    fields: tuple[FieldChange, ...] = ()
    risks: tuple[Risk, ...] = ()
    source: str = ""  # file the object came from (after, else before)

    @property
    def risk_level(self) -> int:
        return max((r.level for r in self.risks), default=0)

    def signature(self) -> tuple[Any, ...]:
        """What makes two changes 'the same change' across environments."""
        return (self.identity.group, self.identity.kind, self.identity.name, self.action,
                self.renamed_from.name if self.renamed_from else None,
                tuple((f.path, f.op, repr(f.before), repr(f.after)) for f in self.fields))


@dataclass
class EnvPlan:
    name: str
    kind: str = ""  # kustomize | helm | plain | terraform-plan | repo
    changes: list[ResourceChange] = field(default_factory=list)
    unchanged: int = 0
    hidden: dict[str, int] = field(default_factory=dict)  # noise rule -> fields hidden
    notes: list[str] = field(default_factory=list)  # render findings, each once
    unrendered: list[str] = field(default_factory=list)  # sources not rendered, with why
    unchanged_ids: frozenset[Identity] = frozenset()

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)


@dataclass
class Plan:
    environments: list[EnvPlan]
    base: str = ""
    against: str = "git"

    @property
    def has_changes(self) -> bool:
        return any(e.has_changes for e in self.environments)

    @property
    def unrendered(self) -> int:
        """Sources no environment could render: the plan cannot show their changes."""
        return sum(len(e.unrendered) for e in self.environments)
