"""Hypothesis strategies shared by the rule tests: small shapes that often, not always, fit."""

from hypothesis import strategies as st


def dims(min_value: int = 1, max_value: int = 6):
    return st.integers(min_value, max_value)


def shapes(min_rank: int = 0, max_rank: int = 4, min_dim: int = 1, max_dim: int = 6):
    return st.lists(dims(min_dim, max_dim), min_size=min_rank, max_size=max_rank).map(tuple)


def near(value: int, spread: int = 2):
    """``value`` half of the time, otherwise a nearby non-negative int: matches and near misses."""
    return st.one_of(st.just(value), st.integers(max(0, value - spread), value + spread))


@st.composite
def partner(draw, shape: tuple):
    """A shape that often broadcasts with ``shape``: its trailing axes, some 1 or a near miss."""
    kept = draw(st.integers(0, len(shape))) if draw(st.booleans()) else len(shape)
    dims = []
    for d in shape[len(shape) - kept :]:
        how = draw(st.integers(0, 3))
        dims.append(1 if how == 0 else draw(st.sampled_from([max(1, d - 1), d + 1])) if how == 1 else d)
    extra = draw(shapes(0, 1, max_dim=3)) if draw(st.integers(0, 4)) == 0 else ()
    return tuple(extra) + tuple(dims)
