"""The web platform: processes, sessions, organisations, contributions and syntheses (Django).

It stores what people submit and calls the engine (``rapporteur.synthesis``) to produce syntheses;
it holds no analysis of its own. Start it with ``rapporteur serve`` (see ``rapporteur.web.cli``).
"""
