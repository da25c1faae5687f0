"""The packed story profile and the stored article ids: exact round trips, older forms still read."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streamproc.dedup.index import _profile_list, profile_from_json, profile_to_json
from streamproc.dedup.profile_text import CODES, SECTION, pack_profile, unpack_profile
from streamproc.join.record_fields import pack_article_id, pack_signature, unpack_article_id, unpack_signature
from streamproc.stories.profile import ArticleProfile

# Heaviest first, as ``build_profile`` rounds and orders them; steps of one and two characters.
PROFILE = ArticleProfile(
    terms={"cabello": 0.384, "vocifer": 0.271, "#81-78": 0.252, "o'neill": 0.2, "ñandú": 0.2, "x": 0.001},
    names={"ana": 0.955, "port sudan": 0.3, "afp": 0.0},
    places=["port sudan", "quito"],
    time=1_700_000_000.125,
    dateline=None,
    headline={"strike": 0.6, "drone": 0.4},
)


def _as_stored(value: object) -> object:
    return orjson.loads(orjson.dumps(value))


def _exact(profile: ArticleProfile) -> str:
    """Every field to the bit, the vectors in their order."""
    vectors = [list(profile.terms.items()), list(profile.names.items()), list(profile.headline.items())]
    return repr((vectors, profile.places, profile.time, profile.dateline))


def test_a_built_profile_is_packed_in_one_string_and_reads_back_exactly() -> None:
    packed = profile_to_json(PROFILE)
    assert isinstance(packed, str)
    assert _exact(profile_from_json(_as_stored(packed))) == _exact(PROFILE)  # type: ignore[arg-type]
    older = _profile_list(PROFILE)
    assert len(orjson.dumps(packed)) < 0.75 * len(orjson.dumps(older))


def test_the_list_and_dict_forms_of_older_values_still_read_as_the_same_profile() -> None:
    older = _as_stored(_profile_list(PROFILE))
    assert isinstance(older, list)
    assert _exact(profile_from_json(older)) == _exact(PROFILE)
    assert _exact(profile_from_json(_as_stored(PROFILE.to_json()))) == _exact(PROFILE)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "profile",
    [
        ArticleProfile(terms={"strike": 0.2, "drone": 0.3}, names={}),  # lighter first
        ArticleProfile(terms={"strike": 0.38412}, names={}),  # not whole thousandths
        ArticleProfile(terms={"aBc": 0.5}, names={}),  # a code character inside a word
        ArticleProfile(terms={f"a{SECTION}b": 0.5}, names={}),
        ArticleProfile(terms={"": 0.5}, names={}),
        ArticleProfile(terms={"strike": -0.0}, names={}),  # reads back as 0.0
        ArticleProfile(terms={"strike": 1}, names={}),  # type: ignore[dict-item]  # reads back as 1.0
        ArticleProfile(terms={}, names={}, dateline=""),
        ArticleProfile(terms={"strike": 5.0}, names={}),  # a step beyond two characters
    ],
)
def test_profiles_the_packed_form_cannot_carry_exactly_keep_an_older_form(profile: ArticleProfile) -> None:
    assert pack_profile(profile) is None
    assert not isinstance(profile_to_json(profile), str)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # timing moves with the load
@given(
    st.dictionaries(st.text(min_size=1), st.integers(0, 1500), max_size=12),
    st.dictionaries(st.text(min_size=1), st.integers(0, 1500), max_size=6),
    st.lists(st.text(), max_size=3),
    st.none() | st.floats(allow_nan=False, allow_infinity=False),  # an event time; JSON has no inf
    st.none() | st.text(),
)
def test_any_profile_reads_back_exactly_whichever_form_it_is_given(
    terms: dict[str, int], names: dict[str, int], places: list[str], time: float | None, dateline: str | None
) -> None:
    def heaviest_first(weights: dict[str, int]) -> dict[str, float]:
        return {k: v / 1000 for k, v in sorted(weights.items(), key=lambda kv: -kv[1])}

    profile = ArticleProfile(
        terms=heaviest_first(terms), names=heaviest_first(names), places=places, time=time, dateline=dateline
    )
    assert _exact(profile_from_json(_as_stored(profile_to_json(profile)))) == _exact(profile)  # type: ignore[arg-type]


def test_a_packed_profile_that_is_not_one_is_an_error() -> None:
    for bad in ("strike", "strikeA||", f"strike{CODES[-1]}||||"):
        with pytest.raises(ValueError):
            unpack_profile(bad)


@given(st.text() | st.from_regex(r"[~!]*a-[0-9a-fA-F]{30,34}", fullmatch=True))
def test_any_article_id_is_stored_so_that_it_reads_back(article_id: str) -> None:
    assert unpack_article_id(pack_article_id(article_id)) == article_id


def test_our_article_ids_are_stored_in_23_characters_and_older_ones_read_as_they_are() -> None:
    ours = "a-ba0e5c641f702262ebdf0cb5fa573a0e"
    assert len(pack_article_id(ours)) == 23 and unpack_article_id(pack_article_id(ours)) == ours
    assert unpack_article_id(ours) == ours  # a record of the older layout
    assert pack_article_id("a-BA0E5C641F702262EBDF0CB5FA573A0E").startswith("a-")  # not ours: as it is


@given(
    st.binary(max_size=80) | st.binary(min_size=64, max_size=64),
    st.sampled_from(["u8:", "u16:", "", "!", "~"]),
)
def test_any_signature_is_stored_so_that_it_reads_back(raw: bytes, prefix: str) -> None:
    import base64

    for signature in (prefix + base64.b64encode(raw).decode(), prefix + raw.hex(), None):
        assert unpack_signature(pack_signature(signature)) == signature


def test_a_u8_signature_of_64_bytes_is_stored_in_81_characters_and_older_ones_read_as_they_are() -> None:
    signature = "u8:alPOwpsk57BYMMhUBs00qIkfIWJx5R6rdtJRHD3VF7gS57oB3xKnLydIw698+wXxPZ8TXlKC02tR/kUckNse5w=="
    assert len(pack_signature(signature) or "") == 81
    assert unpack_signature(signature) == signature  # a record of the older layout
