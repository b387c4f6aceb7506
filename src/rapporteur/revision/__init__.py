"""The rapporteur's desk, in the engine: a revision is an ordered list of edits applied to a synthesis
document, with every figure recomputed by the rules that made the machine's draft.

- ``edits``: the edit kinds, as data (typed models; a YAML or JSON file of them, read with line numbers);
- ``apply``: ``revise(document, edits)`` applies them to the typed ``SynthesisDocument``;
- ``recompute``: the figures of a document recomputed from its key points (no model needed);
- ``replay``: a previous revision's edits on a new run of the same session;
- ``diff``: what changed between two documents.

This package's ``__init__`` imports nothing: ``rapporteur.schema`` imports ``revision.edits``.
"""
