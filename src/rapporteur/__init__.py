"""rapporteur: evidence-backed syntheses of consultations."""
__version__ = "0.1.0"
