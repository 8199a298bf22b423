"""People's names as emails repeat them: plain words, no links or addresses, bounded."""

from __future__ import annotations

import pytest

from wizard.domain.names import NAME_IN_EMAIL_LENGTH, has_link, plain_name


@pytest.mark.parametrize(
    "name",
    [
        "Catrin Jones",
        "Siân Ŵyn ap Dafydd",
        "J.R. Hartley",
        "Dr. Rhys Evans",
        "Mary O'Brien-Smith",
        "Llŷr",
    ],
)
def test_ordinary_names_are_left_as_they_are(name: str) -> None:
    assert not has_link(name)
    assert plain_name(name) == name


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Click https://evil.example to claim", "Click to claim"),
        ("Rhys (see evil.example/claim)", "Rhys (see"),
        ("Rhys www.evil.cymru", "Rhys"),
        ("Rhys HTTP://EVIL.EXAMPLE", "Rhys"),
        ("Rhys evil.example", "Rhys"),
        ("Rhys evil\uff0eexample", "Rhys"),  # a full-width full stop
        ("Rhys evil\u3002example", "Rhys"),  # an ideographic full stop (a dot in addresses)
        ("Rhys evil\uff61example/claim", "Rhys"),  # its half-width form
        ("Rhys 203.0.113.7/claim", "Rhys"),  # an address by number
        ("Rhys 203.0.113.7", "Rhys"),
        (
            "Rhys \uff48\uff54\uff54\uff50\uff53\uff1a\uff0f\uff0fevil",
            "Rhys",
        ),  # full-width https://
        ("Rhys rhys@evil.example", "Rhys"),
        ("Rhys mailto:rhys", "Rhys"),
        ("Rhys javascript:alert(1)", "Rhys"),
        ("https://evil.example", ""),
    ],
)
def test_links_and_addresses_are_found_and_left_out(name: str, shown: str) -> None:
    assert has_link(name)
    assert plain_name(name) == shown


def test_a_name_in_an_email_is_one_short_line() -> None:
    assert plain_name("Rhys\n\nDear colleague,\tpay now") == "Rhys Dear colleague, pay now"
    assert plain_name("Rhys\u202eevil") == "Rhysevil"
    long = "Rhys " + "very " * 40 + "long"
    shown = plain_name(long)
    assert len(shown) <= NAME_IN_EMAIL_LENGTH and shown.endswith("very…")
    assert plain_name(None) == ""
