"""The generated closed namespace is fresh and closed."""
import pytest

from rightsgraph.gen_namespace import TARGET, render
from rightsgraph.namespace import RG


def test_the_generated_namespace_matches_the_ontology():
    assert TARGET.read_text(encoding="utf-8") == render(), "run: python -m rightsgraph.gen_namespace"


def test_a_typo_in_a_term_raises_instead_of_minting_an_iri():
    assert str(RG.InfringementDetermination).endswith("#InfringementDetermination")
    with pytest.raises(AttributeError):
        RG.InfringmentDetermination  # noqa: B018 - the typo is the point
