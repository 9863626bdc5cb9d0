"""Exact two-player games whose integer form is beyond the float range."""

from fractions import Fraction

import alliance as al


def test_a_subnormal_exact_payoff_is_solved_not_overflowed():
    # found by the fuzz suite: 2.2e-313 taken exactly has a denominator of 300+ digits, so the
    # game's integer form cannot be converted to floats (OverflowError before the fix)
    e = Fraction(2.2250738585e-313)
    g = al.NormalFormGame.from_matrices([[e, 0], [0, 1]], [[1, 0], [0, e]])
    eqs = g.equilibria()
    # a coordination game: both pure coordinations and one mixed equilibrium, exactly
    assert len(eqs) == 3 and all(q.method == "vertex" and q.exact for q in eqs)
    pure = {tuple(int(p[0]) for p in q.profile) for q in eqs if q.is_pure}
    assert pure == {(1, 1), (0, 0)}
    (mixed,) = [q for q in eqs if not q.is_pure]
    # the row player mixes so that the column player is indifferent: x * 1 = (1 - x) * e
    x = mixed.profile[0][0]
    assert x * 1 == (1 - x) * e
