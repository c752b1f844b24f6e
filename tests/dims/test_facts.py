"""Facts and the three verdicts: holds, fails (certain), or holds only if a stated condition does."""

from shapelens.dims import Checker, Facts, ShapeError, any_of, divides, eq, ge, ne, sym

H, W, C, B, T = (sym(s) for s in ("H", "W", "C", "B", "T"))
n_head, n_embd = sym("n_head"), sym("config.n_embd")


def test_three_verdicts():
    facts = Facts()
    assert facts.decide(eq(2 * C // 2, C)) is True
    assert facts.decide(eq(2 * H, H)) is False  # sizes are >= 1
    assert facts.decide(eq(2 * H - 1, 0)) is False  # parity: never zero
    assert facts.decide(eq(32 * H * W, 1568)) is None
    assert str(eq(32 * H * W, 1568)) == "H*W == 49"
    assert facts.decide(ge((H - 3) // 1 + 1, 1)) is None
    assert str(ge(H - 3 + 1, 1)) == "H >= 3"
    assert facts.decide(ge(H // 2, 0)) is True


def test_divisibility_from_assert_makes_exact_quotients():
    facts = Facts()
    assert facts.decide(divides(n_head, C)) is None
    assert str(divides(n_head, C)) == "C % n_head == 0"
    facts.learn_divides(n_head, C)
    assert facts.simplify(n_head * (C // n_head)) == C
    assert facts.decide(eq(B * T * C, B * T * n_head * (C // n_head))) is True
    facts.learn_divides(2, H)
    assert facts.simplify(2 * (H // 2)) == H


def test_unification_binds_fresh_symbols_only():
    facts = Facts()
    facts.flexible.add("C")
    assert facts.unify(C, n_embd)
    assert facts.simplify(B * T * C) == B * T * n_embd
    assert not facts.unify(n_embd, sym("config.d_model"))  # neither side is fresh


def test_checker_records_conditions_and_raises_certain_errors():
    ctx = Checker()
    ctx.check(eq(H, H), "x", "never")
    ctx.check(eq(32 * H * W, 1568), "linear-in-features", "needs 1568")
    assert [str(c.cond) for c in ctx.conditions] == ["H*W == 49"]
    try:
        ctx.check(eq(H + 1, H), "broadcast", lambda: "certainly wrong")
    except ShapeError as err:
        assert err.code == "broadcast" and err.message == "certainly wrong"
    else:
        raise AssertionError("a certain mismatch must raise")


def test_condition_holds_for_values():
    cond = eq(32 * H * W, 1568)
    assert cond.holds_for({"H": 7, "W": 7})
    assert not cond.holds_for({"H": 8, "W": 8})


def test_a_condition_names_the_symbols_it_needs():
    B, H, W, n = sym("B"), sym("H"), sym("W"), sym("n")
    assert eq(H * W, 49).symbols() == {"H", "W"}
    assert ne(B, 1).symbols() == {"B"}
    assert divides(n, H // 2).symbols() == {"n", "H"}
    assert any_of(eq(H, 1), ge(W, B)).symbols() == {"H", "W", "B"}
    assert ge(3, 2).symbols() == set()
