"""torch.fft against torch: 1-D, 2-D and n-D transforms, real ones, shifts and sample frequencies."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from oracle import T, check
from strategies import shapes

from shapelens.dims import Checker, Shape, sym
from shapelens.rules import apply_op

ONE_AXIS = ["torch.fft.fft", "torch.fft.ifft", "torch.fft.rfft", "torch.fft.ihfft", "torch.fft.irfft", "torch.fft.hfft"]
N_AXES = ["torch.fft.fftn", "torch.fft.ifftn", "torch.fft.rfftn", "torch.fft.irfftn"]
TWO_AXES = ["torch.fft.fft2", "torch.fft.ifft2", "torch.fft.rfft2", "torch.fft.irfft2"]


def reference(name: str):
    return getattr(torch.fft, name.rsplit(".", 1)[-1])


def axis(rank: int):
    return st.integers(-rank - 1, rank)


@given(st.sampled_from(ONE_AXIS), shapes(0, 3, min_dim=0), st.data())
def test_one_axis(name, shape, data):
    n = data.draw(st.one_of(st.none(), st.integers(-1, 8)))
    dim = data.draw(st.one_of(st.just(-1), axis(len(shape))))
    norm = data.draw(st.sampled_from([None, "ortho", "forward", "backward", "abc"]))
    check(lambda ctx, x: apply_op(name, ctx, x, n, dim, norm), lambda x: reference(name)(x, n, dim, norm), [T(shape)])


@st.composite
def sizes_and_dims(draw, rank: int):
    """s and dim for an n-D transform: None, matching lengths, or near misses (-1 keeps a size)."""
    k = draw(st.integers(0, rank + 1))
    s = draw(st.one_of(st.none(), st.lists(st.integers(-1, 6), min_size=k, max_size=k).map(tuple)))
    dim = draw(st.one_of(st.none(), st.lists(axis(rank), min_size=k, max_size=k + draw(st.integers(0, 1))).map(tuple)))
    return s, dim


@given(st.sampled_from(N_AXES), shapes(0, 3, min_dim=0), st.data())
def test_n_axes(name, shape, data):
    s, dim = data.draw(sizes_and_dims(len(shape)))
    check(lambda ctx, x: apply_op(name, ctx, x, s, dim), lambda x: reference(name)(x, s, dim), [T(shape)])


@given(st.sampled_from(TWO_AXES), shapes(0, 3, min_dim=0), st.data())
def test_two_axes(name, shape, data):
    s = data.draw(st.one_of(st.none(), st.lists(st.integers(-1, 6), min_size=1, max_size=3).map(tuple)))
    dim = data.draw(st.one_of(st.just((-2, -1)), st.lists(axis(len(shape)), min_size=1, max_size=3).map(tuple)))
    check(lambda ctx, x: apply_op(name, ctx, x, s, dim), lambda x: reference(name)(x, s, dim), [T(shape)])


@given(st.sampled_from(["torch.fft.fftshift", "torch.fft.ifftshift"]), shapes(0, 3, min_dim=0), st.data())
def test_shift(name, shape, data):
    dim = data.draw(st.one_of(st.none(), axis(len(shape)), st.lists(axis(len(shape)), max_size=3).map(tuple)))
    check(lambda ctx, x: apply_op(name, ctx, x, dim), lambda x: reference(name)(x, dim), [T(shape)])


@given(st.sampled_from(["torch.fft.fftfreq", "torch.fft.rfftfreq"]), st.integers(-9, 9))
def test_frequencies(name, n):
    check(lambda ctx: apply_op(name, ctx, n), lambda: reference(name)(n), [])


def test_symbolic_spectrum():
    """rfft of [B, T] is [B, T//2 + 1]; irfft with n=T gives [B, T] back."""
    B, T_ = sym("B"), sym("T")
    ctx = Checker()
    assert apply_op("torch.fft.rfft", ctx, Shape([B, T_])) == Shape([B, T_ // 2 + 1])
    assert apply_op("torch.fft.irfft", ctx, Shape([B, T_ // 2 + 1]), T_) == Shape([B, T_])
    n = sym("n")
    assert apply_op("torch.fft.rfftfreq", Checker(), n * 2) == Shape([n + 1])
