"""Every hallmark and element has help: what to think about and an example answer."""

from __future__ import annotations

from wizard.domain import framework, guidance


def test_every_hallmark_and_element_has_guidance_and_an_example() -> None:
    assert set(guidance.HALLMARKS) == {h.key for h in framework.HALLMARKS}
    assert set(guidance.ELEMENTS) == {e.key for e in framework.ELEMENTS}
    for item in [*guidance.HALLMARKS.values(), *guidance.ELEMENTS.values()]:
        assert str(item.think_about._args[0]).startswith("Think about")
        assert len(str(item.example._args[0])) > 40
