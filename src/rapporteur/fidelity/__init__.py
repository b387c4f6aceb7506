"""Fidelity: the learned judgements the synthesis rests on, measured on IBM ArgKP-2021.

- ``matcher``: is a statement on the matter of a key point (does it make the point)? KPA-2021
  track 1; ``scoring`` is the task's strict/relaxed mAP and ``benchmarks/kpa.py`` prints it.
- ``stance_model``: does a statement argue for or against a topic or key point?

Both are all-MiniLM-L6-v2 cross-encoders (``pairs``) with their transformer layers tuned on the
ArgKP train split (``train``, ``rapporteur train matcher|stance``). The tuned layers ship in the
package as quantised differences from the published weights (``artifact``, ``models/README.md``).
"""
