"""State machines as data: an object's states, actions and the table (state, action) → state.

An app describes the life of each kind of object once, in its `rules.py`, as a `Workflow`; a pair
absent from the table is not allowed. Nothing here reads the database: the services apply it with
`kernel.services.workflow` (lock → require → change → finish).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from yingshang.kernel.errors import Conflict


@dataclass(frozen=True, eq=False)
class Workflow:
    """The life of one kind of object. `prefix` starts its error codes, `noun` names it in messages."""

    prefix: str  # "case" → case.conflict, case.transition_not_allowed, case.not_found
    noun: str  # "办件" → "该办件已被他人处理，请刷新后重试"
    states: Mapping[str, str]  # state → Chinese label, in display order
    actions: Mapping[str, str]  # action → Chinese label, in the order allowed actions are listed
    transitions: Mapping[tuple[str, str], str]  # (state, action) → the state after it
    field: str = "status"  # the model field that holds the state
    not_found: str = ""  # the code when the object does not exist (default "<prefix>.not_found")

    def __post_init__(self):
        for (state, action), after in self.transitions.items():
            if state not in self.states or after not in self.states or action not in self.actions:
                raise ValueError(f"{self.prefix}: transition ({state}, {action}) → {after} names an unknown state "
                                 "or action")

    def target(self, state: str, action: str) -> str | None:
        """The state after the action, or None when the action is not allowed from `state`."""
        return self.transitions.get((state, action))

    def allowed(self, state: str, action: str) -> bool:
        return (state, action) in self.transitions

    def allowed_actions(self, state: str) -> list[str]:
        return [action for action in self.actions if (state, action) in self.transitions]

    @cached_property
    def final_states(self) -> frozenset[str]:
        """The states no action leaves."""
        return frozenset(s for s in self.states if not self.allowed_actions(s))

    def refusal_message(self, state: str, action: str) -> str:
        """Why the action cannot be taken, in Chinese, naming the state and what is possible instead."""
        label = self.states.get(state, state)
        what = self.actions.get(action, action)
        possible = [self.actions[a] for a in self.allowed_actions(state)]
        tail = f"当前可以：{'、'.join(possible)}" if possible else f"该{self.noun}已结束，不能再办理"
        return f"{self.noun}当前状态为“{label}”，不能{what}。{tail}。"

    def require(self, obj, action: str) -> str:
        """The state `obj` goes to by `action`, or Conflict <prefix>.transition_not_allowed."""
        state = getattr(obj, self.field)
        after = self.target(state, action)
        if after is None:
            raise Conflict(f"{self.prefix}.transition_not_allowed", self.refusal_message(state, action),
                           details={self.field: state, "action": action, "allowed": self.allowed_actions(state)})
        return after
