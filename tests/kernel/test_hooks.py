from yingshang.kernel.hooks import ACCEPTANCE_CHECKS, CheckHit, Hook


def test_hook_collects_every_handlers_hits_in_order():
    hook = Hook("h", "test")
    hook.register(lambda **kw: [CheckHit("a", "a.x", "甲")])
    hook.register(lambda **kw: None)
    hook.register(lambda **kw: [CheckHit("b", "b.y", "乙", blocking=True)])
    hits = hook.run(identifier="91110000600037341L")
    assert [h.code for h in hits] == ["a.x", "b.y"]
    assert hits[1].blocking


def test_registering_twice_runs_once():
    def handler(**kw):
        return [CheckHit("c", "c", "丙")]

    ACCEPTANCE_CHECKS.register(handler)
    ACCEPTANCE_CHECKS.register(handler)
    try:
        assert len([h for h in ACCEPTANCE_CHECKS.run(identifier="x") if h.code == "c"]) == 1
    finally:
        ACCEPTANCE_CHECKS.unregister(handler)
