"""Games of imperfect information in extensive form.

``signalling``  signalling games (types, messages, actions) and their perfect Bayesian
                equilibria, with the consistency of beliefs checked
"""

from alliance.games.extensive.signalling import PerfectBayesianEquilibrium, SignallingGame

__all__ = ["PerfectBayesianEquilibrium", "SignallingGame"]
