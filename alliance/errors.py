"""The exception hierarchy of ``alliance``.

Every error the toolkit raises on purpose derives from :class:`AllianceError`.
Errors caused by bad *input* also derive from :class:`ValueError` (as Gambit's
do), so generic ``except ValueError`` code keeps working; failures of an
*algorithm* on valid input (no convergence, a size limit) form their own
branch under :class:`SolverError`.

Messages always name the field and the offending value, e.g.
``ParameterError("pd of member 'A' is 1.7; it must lie in [0, 1]")``.

Examples
--------
>>> from alliance.errors import ParameterError, AllianceError
>>> try:
...     raise ParameterError("pd of member 'A' is 1.7; it must lie in [0, 1]")
... except AllianceError as err:
...     print(err)
pd of member 'A' is 1.7; it must lie in [0, 1]
>>> issubclass(ParameterError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "AllianceError",
    "InputError",
    "InvalidGameError",
    "ParameterError",
    "NetworkError",
    "ModelFileError",
    "OutputPathError",
    "SolverError",
    "SizeLimitError",
    "ConvergenceError",
]


class AllianceError(Exception):
    """Root of every error raised on purpose by ``alliance``.

    Examples
    --------
    >>> from alliance.errors import ParameterError
    >>> isinstance(ParameterError("rho is 2"), AllianceError)
    True
    """


class InputError(AllianceError, ValueError):
    """Bad input: the message names the field and the value that was wrong.

    Examples
    --------
    >>> err = InputError("pd of member 'A' is 1.7; it must lie in [0, 1]")
    >>> isinstance(err, ValueError), str(err)
    (True, "pd of member 'A' is 1.7; it must lie in [0, 1]")
    """


class InvalidGameError(InputError):
    """A game is malformed: shapes, labels, non-finite payoffs.

    Examples
    --------
    >>> from alliance import NormalFormGame
    >>> NormalFormGame([[1, 2]], [[1]])
    Traceback (most recent call last):
    ...
    alliance.errors.InvalidGameError: ...
    """


class ParameterError(InputError):
    """A parameter, a probability or an expression is not admissible.

    Examples
    --------
    >>> from alliance.numbers import check_probability
    >>> check_probability(1.7, "pd of member 'A'")
    Traceback (most recent call last):
    ...
    alliance.errors.ParameterError: pd of member 'A' is 1.7; it must lie in [0, 1]
    """


class NetworkError(InputError):
    """An alliance network is malformed: unknown members, bad chains.

    Examples
    --------
    >>> from alliance.network import AllianceNetwork
    >>> AllianceNetwork().add_chain("A", "B", amount=10.0)
    Traceback (most recent call last):
    ...
    alliance.errors.NetworkError: ...
    """


class ModelFileError(InputError):
    """A model, expectations or Gambit file cannot be read.

    Parameters
    ----------
    message : str
        What was wrong.
    file : str, optional
        The file's path.
    key : str, optional
        The dotted key (``"payoffs.lend.repay"``) or section at fault.
    line : int, optional
        The line number where the reader can give it.

    Examples
    --------
    >>> print(ModelFileError("must be a number", file="lending.toml", key="parameters.r", line=4))
    lending.toml, line 4, key 'parameters.r': must be a number
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.key = key
        self.line = line
        where = []
        if file is not None:
            where.append(str(file))
        if line is not None:
            where.append(f"line {line}")
        if key is not None:
            where.append(f"key '{key}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class OutputPathError(InputError):
    """An output path cannot be written: a folder where a file is needed (or the reverse),
    a parent folder that does not exist, or a file system refusal.

    Examples
    --------
    >>> issubclass(OutputPathError, InputError)
    True
    """


class SolverError(AllianceError):
    """An algorithm failed on valid input.

    Examples
    --------
    >>> issubclass(SolverError, ValueError), issubclass(ConvergenceError, SolverError)
    (False, True)
    """


class SizeLimitError(SolverError):
    """The problem is larger than the method supports; the message says what to use.

    Examples
    --------
    >>> from alliance.numbers import check_work, estimate_sweep
    >>> check_work(estimate_sweep(10**15, 4))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    alliance.errors.SizeLimitError: sweeping 1000000000000000 points needs about ...
    """


class ConvergenceError(SolverError):
    """An iterative method did not converge.

    Examples
    --------
    >>> raise ConvergenceError("the logit path stopped at lambda = 3 after 1000 steps")
    Traceback (most recent call last):
    ...
    alliance.errors.ConvergenceError: the logit path stopped at lambda = 3 after 1000 steps
    """
