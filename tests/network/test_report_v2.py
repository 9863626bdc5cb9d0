"""Computed sentences of the version-2 report: each says what its numbers say."""

import pytest

from alliance.network import AllianceNetwork, BankPolicy, load_example_alliance
from alliance.network.example import example_policy
from alliance.network.report_v2 import (
    Claim,
    allocation_table,
    binding_table,
    check_claims,
    margin_claims,
)


def worked():
    net = AllianceNetwork()
    net.add_member("A", demand=200, pd=0.04, lgd=0.5)
    net.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
    net.add_chain("B", "A", amount=40)
    return net


def test_worked_example_sentences_state_the_exact_numbers():
    net = worked()
    policy = BankPolicy(max_el_rate=0.005)
    rep = net.credit_margin(policy, scenarios="exact", rho=0.0)
    dec = net.margin_decomposition(policy, scenarios="exact", rho=0.0)
    claims = margin_claims(rep, dec)
    check_claims(claims)
    text = " ".join(map(str, claims))
    assert "together 240" in text and "M = 140" in text and "multiplier 2.40" in text
    assert "pooling 33, fund 0, guarantees 107, pledges 0" in text  # 33 1/3, 106 2/3
    assert "max_el_rate 16,000.00, guarantee B->A 2.67" in text  # 0.04 / 0.015 = 8/3
    table = binding_table(rep)
    assert "expected_loss" in set(table["constraint"])
    alloc = allocation_table(rep)
    assert alloc.loc["A", "gain"] == pytest.approx(140) and alloc.loc["B", "gain"] == 0


def test_a_sentence_that_disagrees_with_its_number_fails():
    rep = worked().credit_margin(BankPolicy(max_el_rate=0.005), scenarios="exact", rho=0.0)
    claims = margin_claims(rep)
    published = [c.text for c in claims]
    check_claims(claims, published)
    published[1] = published[1].replace("140", "141")
    with pytest.raises(AssertionError, match="margin = 140"):
        check_claims(claims, published)
    # a claim whose value changed after the sentence was written fails too
    stale = Claim("M = {m:,.0f}", {"m": 139.0})
    with pytest.raises(AssertionError):
        check_claims([stale], ["M = 140"])
    with pytest.raises(AssertionError, match="binding"):
        check_claims([Claim("Binding: {binding}.", {"binding": "fund"})], ["Binding: demand."])


def test_example_sentences_are_consistent():
    net = load_example_alliance()
    rep = net.credit_margin(example_policy(), scenarios=500, seed=1, void_prob=0.05, progress=False)
    claims = margin_claims(rep)
    check_claims(claims)
    assert any("borrows at least its standalone limit" in c.text for c in claims)
