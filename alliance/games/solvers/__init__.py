"""Solvers behind :class:`alliance.NormalFormGame`: one module per algorithm.

* ``pure``: pure equilibria of n-player games (vectorised);
* ``vertex``: every extreme equilibrium of two-player games (exact or float);
* ``components``: maximal Nash subsets and connected components of degenerate games;
* ``lemke_howson``: Lemke–Howson from every starting label (fast, not complete);
* ``support_nplayer``: support enumeration for small n-player games;
* ``dominance``: iterated elimination of dominated strategies (pure and mixed);
* ``qre``: the logit QRE correspondence, traced by predictor–corrector path following;
* ``homotopy``: every isolated solution of a support's polynomial system (n-player support
  enumeration): multihomogeneous homotopy, closed form for three binary mixers;
* ``logit_path``: one verified equilibrium of a large game: the logit branch finished by
  Newton.
"""
