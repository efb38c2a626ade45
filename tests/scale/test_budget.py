"""relscore.scale.budget: what a run may use, read before it starts."""

import pytest

from relscore.scale import budget


def test_an_address_space_limit_caps_the_memory_available(monkeypatch):
    used = budget._meminfo("/proc/self/status", "VmSize:")
    if used is None or budget.resource is None:
        pytest.skip("no /proc/self/status or no resource limits here")
    unlimited = budget.available_memory()
    monkeypatch.setattr(budget.resource, "getrlimit", lambda _: (used + 10**8, -1))
    # the limit less what the process has mapped already (its own size moves a little)
    assert 0.9 * 10**8 < budget.available_memory() <= min(unlimited, 1.1 * 10**8)
    monkeypatch.setattr(budget.resource, "getrlimit", lambda _: (used // 2, -1))
    assert budget.available_memory() == 0


def test_parse_size_reads_powers_of_1000():
    assert budget.parse_size("512M") == 512_000_000
    assert budget.parse_size("1.5GB") == 1_500_000_000
    with pytest.raises(ValueError, match="not a size: 'lots'"):
        budget.parse_size("lots")
