"""The public portal on `/` (门户首页) as data: domain apps add sections, the kernel lays them out.

The kernel imports no domain app, so the search box, the most used items and the themes come from
the catalog, which registers them from AppConfig.ready():

    register_section("catalog-search", "catalog/portal/_search.html", search_context, slot=HERO, order=10)

`context(request)` returns the section's data (a dict) or None to leave the section out; each
section keeps its own query budget (the home page's total is tested). Sections render in `order`
within their slot: `hero` (inside the welcome banner) or `main` (the cards below it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HERO, MAIN = "hero", "main"


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable
    slot: str = MAIN
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    key: str
    template: str
    slot: str
    data: dict


_SECTIONS: dict[str, Section] = {}


def register_section(key: str, template: str, context: Callable, *, slot: str = MAIN, order: int = 100,
                     replace: bool = False) -> Section:
    if key in _SECTIONS and not replace:
        raise ValueError(f"portal section {key!r} is already registered")
    if slot not in (HERO, MAIN):
        raise ValueError(f"slot must be {HERO!r} or {MAIN!r}, not {slot!r}")
    section = Section(key, template, context, slot, order)
    _SECTIONS[key] = section
    return section


def unregister_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def sections(request) -> dict[str, list[RenderedSection]]:
    """The sections to show this request, by slot, in order (a section whose context is None is left out)."""
    out: dict[str, list[RenderedSection]] = {HERO: [], MAIN: []}
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        data = section.context(request)
        if data is not None:
            out[section.slot].append(RenderedSection(section.key, section.template, section.slot, data))
    return out
