"""Who is acting, and what they may see.

Every read path of the core takes an :class:`Actor`. Visibility is decided here and only here, so the UI and the
CLI cannot skip it: a counter clerk sees released records only.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .errors import PermissionDenied


class Role(str, enum.Enum):
    ADMIN = "admin"
    ARCHIVIST = "archivist"
    REVIEWER = "reviewer"
    CLERK = "clerk"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "管理员",
    Role.ARCHIVIST: "档案员",
    Role.REVIEWER: "审核员",
    Role.CLERK: "窗口",
}

RELEASED = "released"
PENDING = "pending"
WITHHELD = "withheld"
STATUS_LABELS = {PENDING: "待审核", RELEASED: "已发布", WITHHELD: "不予发布"}

#: Roles whose holders work behind the counter and may see unreleased records.
STAFF_ROLES = frozenset({Role.ADMIN, Role.ARCHIVIST, Role.REVIEWER})


@dataclass(frozen=True)
class Actor:
    """The operator on whose behalf the core acts. ``operator_id`` is None for the built-in system actors."""

    name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    operator_id: int | None = None

    @property
    def sees_unreleased(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def has(self, role: Role) -> bool:
        return role in self.roles or Role.ADMIN in self.roles

    def require(self, role: Role) -> None:
        if not self.has(role):
            raise PermissionDenied(
                f"当前操作员「{self.name}」没有{role.label}权限",
                f"operator {self.name!r} lacks role {role.value}",
            )

    def visible_statuses(self) -> tuple[str, ...]:
        """Review statuses this actor may read."""
        return (PENDING, RELEASED, WITHHELD) if self.sees_unreleased else (RELEASED,)


def counter_actor(name: str = "窗口") -> Actor:
    """A clerk at the counter: released records only."""
    return Actor(name=name, roles=frozenset({Role.CLERK}))


def system_actor(name: str = "system") -> Actor:
    """The local command line before operators exist: full staff scope."""
    return Actor(name=name, roles=frozenset({Role.ADMIN}))
