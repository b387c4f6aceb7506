"""Exports: the public may download what the site shows the public."""
import rules

rules.add_perm("exports.export_session", rules.always_allow)
rules.add_perm("exports.export_round", rules.always_allow)
