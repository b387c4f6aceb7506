"""The rapporteur's desk, in the engine: a revision is an ordered list of edits applied to a synthesis
document, with every figure recomputed by the rules that made the machine's draft.

- ``rapporteur.edits`` (beside the schema, which holds them): the edit kinds, as typed data, and their
  YAML file read with line numbers;
- ``apply``: ``revise(document, edits)`` applies them to the typed ``SynthesisDocument``;
- ``recompute``: the figures of a document recomputed from its key points (no model needed);
- ``replay``: a previous revision's edits on a new run of the same session;
- ``diff``: what changed between two documents.
"""
