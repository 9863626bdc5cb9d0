"""Games of imperfect information in extensive form.

- ``tree``: extensive-form games with information sets: behaviour strategies (Kuhn), the
  normal form, the sequence form of two-player games and its zero-sum LP;
- ``signalling``: signalling games (types, messages, actions) and their perfect Bayesian
  equilibria, with the consistency of beliefs checked;
- ``signalling_mixed``: their mixed (semi-separating) perfect Bayesian equilibria;
- ``linear``: exact small linear systems and polytope vertices;
- ``sequence_form``: two-player Nash equilibria by Lemke's algorithm on the sequence form,
  and regrets of behaviour profiles on the tree;
- ``agent_qre``: logit agent quantal response equilibria and their principal branch.
"""

from alliance.games.extensive.agent_qre import AgentQRE, AgentQREBranch
from alliance.games.extensive.signalling import PerfectBayesianEquilibrium, SignallingGame
from alliance.games.extensive.signalling_mixed import MixedPerfectBayesianEquilibrium
from alliance.games.extensive.tree import BehaviourProfile, ExtensiveGame, Move, SequenceForm

__all__ = [
    "AgentQRE",
    "AgentQREBranch",
    "BehaviourProfile",
    "ExtensiveGame",
    "MixedPerfectBayesianEquilibrium",
    "Move",
    "PerfectBayesianEquilibrium",
    "SequenceForm",
    "SignallingGame",
]
