"""Shapes, broadcasting and axis normalisation as torch does them."""

import pytest

from shapelens.dims import Checker, Lost, Shape, ShapeError, broadcast, normalize_axis, sym

B, T, H = sym("B"), sym("T"), sym("H")


def test_printing_and_json():
    s = Shape([B, 16, H // 2, 7])
    assert repr(s) == "[B, 16, H//2, 7]"
    assert s.to_json() == ["B", 16, "H//2", 7]
    assert Shape.unknown().to_json() is None
    assert repr(Shape((), "batch", [64])) == "[*batch, 64]"


def test_broadcast_concrete_and_message():
    ctx = Checker()
    assert broadcast(ctx, Shape([2, 1, 4]), Shape([3, 1])) == Shape([2, 3, 4])
    with pytest.raises(ShapeError) as err:
        broadcast(ctx, Shape([1, 4, 28, 28]), Shape([1, 3, 28, 28]))
    assert str(err.value) == (
        "The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1"
    )


def test_broadcast_symbolic_states_condition():
    ctx = Checker()
    out = broadcast(ctx, Shape([B, T, 8]), Shape([H, 8]))
    assert out.rank == 3
    assert ctx.conditions and "T == H" in str(ctx.conditions[0].cond)


def test_variadic_axes():
    s = Shape((), "batch", [B, 64])
    assert s[-1] == 64
    assert s.replace(-1, 10) == Shape((), "batch", [B, 10])
    with pytest.raises(Lost):
        _ = s.rank


def test_normalize_axis():
    ctx = Checker()
    assert normalize_axis(ctx, -1, 3) == 2
    with pytest.raises(ShapeError) as err:
        normalize_axis(ctx, 3, 3)
    assert "expected to be in range of [-3, 2], but got 3" in str(err.value)
