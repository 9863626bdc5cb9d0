"""Coalitions as bitmasks and boolean rows, and a vectorised memo of coalition values.

Coalition ``S`` of players ``0..n-1`` is the integer ``sum(1 << i for i in S)``; a batch of
coalitions is a boolean matrix of shape ``(k, n)``. Dense tables of all ``2**n`` values are
indexed by the bitmask. For the memo, rows are packed into 64-bit words, so the same code
serves ``n = 10`` and ``n = 500``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "all_masks",
    "masks_of",
    "sums_containing",
    "bitmasks",
    "coalition_sizes",
    "coalition_sums",
    "pack",
    "CoalitionMemo",
]


def masks_of(codes: np.ndarray, n: int) -> np.ndarray:
    """Boolean rows ``(k, n)`` of the coalitions with integer bitmasks ``codes`` (``n <= 62``)."""
    codes = np.ascontiguousarray(codes, dtype="<u8")
    bits = np.unpackbits(codes.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    return bits[:, :n].astype(bool)


def all_masks(n: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Boolean rows of the coalitions with bitmasks ``start, ..., stop - 1``."""
    stop = 1 << n if stop is None else stop
    return masks_of(np.arange(start, stop, dtype=np.uint64), n)


def bitmasks(mask: np.ndarray) -> np.ndarray:
    """Integer bitmask of each boolean row (``n <= 62``)."""
    n = mask.shape[1]
    return mask.astype(np.int64) @ (np.int64(1) << np.arange(n, dtype=np.int64))


def coalition_sizes(n: int) -> np.ndarray:
    """``|S|`` for every bitmask ``S`` of ``n`` players (built by doubling, no loop over S)."""
    sizes = np.zeros(1, dtype=np.uint8)
    for _ in range(n):
        sizes = np.concatenate([sizes, sizes + 1])
    return sizes


def sums_containing(f: np.ndarray, n: int) -> np.ndarray:
    """``sum(f[S] for S containing i)`` for each player ``i``, for a table ``f`` by bitmask.

    Folds the table one player at a time (highest bit first) over contiguous halves: about
    ``2 * 2**n`` additions in all, and no Python loop over coalitions.
    """
    out = np.empty(n, dtype=f.dtype)
    rest = f
    for i in range(n - 1, -1, -1):
        halves = rest.reshape(2, -1)
        out[i] = halves[1].sum()
        rest = halves[0] + halves[1]
    return out


def coalition_sums(weights: np.ndarray) -> np.ndarray:
    """``sum(weights[i] for i in S)`` for every bitmask ``S`` (works for object arrays too)."""
    sums = np.zeros(1, dtype=weights.dtype)
    if weights.dtype == object:
        sums[0] = 0
    for w in weights:
        sums = np.concatenate([sums, sums + w])
    return sums


def pack(mask: np.ndarray) -> np.ndarray:
    """Pack boolean rows ``(k, n)`` into little-endian 64-bit words ``(k, ceil(n / 64))``."""
    k, n = mask.shape
    n_bytes = 8 * max(1, -(-n // 64))
    packed = np.packbits(mask, axis=1, bitorder="little")
    if packed.shape[1] < n_bytes:
        packed = np.concatenate(
            [packed, np.zeros((k, n_bytes - packed.shape[1]), dtype=np.uint8)], axis=1
        )
    return np.ascontiguousarray(packed).view("<u8")


_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93],
    dtype=np.uint64,
)


def _hash(words: np.ndarray) -> np.ndarray:
    if words.shape[1] == 1:
        return words[:, 0].copy()
    h = np.zeros(words.shape[0], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(words.shape[1]):
            h = (h ^ words[:, j]) * _MIX[j % len(_MIX)]
            h ^= h >> np.uint64(31)
    return h


def unique_rows(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First index of each distinct packed row and the inverse map (rows → distinct).

    Rows are told apart by their 64-bit hash (exact for ``n <= 64``); should two different
    rows ever share a hash, the exact (slower) row-wise ``np.unique`` takes over.
    """
    _, first, inverse = np.unique(_hash(words), return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if words.shape[1] > 1 and np.any(words[first][inverse] != words):
        _, first, inverse = np.unique(words, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
    return first, inverse


class CoalitionMemo:
    """Values of coalitions already evaluated, looked up a whole batch at a time.

    Keys are packed rows; they are kept in sorted runs of a 64-bit hash (the bitmask itself
    when ``n <= 64``, so no collision is possible there) that merge as they grow, like a
    log-structured merge tree: a batch of ``k`` look-ups costs ``O(k log^2 K)`` NumPy work.
    A hit requires the full key to match, so hash collisions only cost a re-evaluation.
    """

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(len(run[0]) for run in self._runs)

    def lookup(self, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Values and a found-flag for each packed row."""
        k = words.shape[0]
        values = np.zeros(k)
        found = np.zeros(k, dtype=bool)
        if not self._runs or k == 0:
            return values, found
        h = _hash(words)
        for run_h, run_keys, run_values in self._runs:
            todo = np.flatnonzero(~found)
            if todo.size == 0:
                break
            pos = np.searchsorted(run_h, h[todo])
            pos = np.minimum(pos, len(run_h) - 1)
            hit = (run_h[pos] == h[todo]) & np.all(run_keys[pos] == words[todo], axis=1)
            values[todo[hit]] = run_values[pos[hit]]
            found[todo[hit]] = True
        return values, found

    def insert(self, words: np.ndarray, values: np.ndarray) -> None:
        """Remember ``values`` of the packed rows ``words`` (rows assumed new)."""
        if words.shape[0] == 0:
            return
        h = _hash(words)
        order = np.argsort(h, kind="stable")
        self._runs.append((h[order], words[order], np.asarray(values, dtype=float)[order]))
        while len(self._runs) >= 2 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (h1, k1, v1), (h2, k2, v2) = self._runs[-2], self._runs[-1]
            h = np.concatenate([h1, h2])
            order = np.argsort(h, kind="stable")
            self._runs[-2:] = [
                (h[order], np.concatenate([k1, k2])[order], np.concatenate([v1, v2])[order])
            ]

    def items(self) -> tuple[np.ndarray, np.ndarray]:
        """All stored packed rows and their values."""
        if not self._runs:
            return np.zeros((0, 1), dtype=np.uint64), np.zeros(0)
        return (
            np.concatenate([r[1] for r in self._runs]),
            np.concatenate([r[2] for r in self._runs]),
        )
