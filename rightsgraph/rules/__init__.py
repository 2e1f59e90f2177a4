"""The rule engine: SHACL-AF ``sh:SPARQLRule``s read as data, stratified, compiled to SPARQL updates
that record their own justifications, and run to a fixpoint inside the store."""
from rightsgraph.rules.model import Rule, RuleBase, load_rule_base

__all__ = ["Rule", "RuleBase", "load_rule_base"]
