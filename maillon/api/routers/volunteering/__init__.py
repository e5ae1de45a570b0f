"""The volunteering API, one router per sub-domain (as ``maillon.volunteering``):
``missions`` (public search and the association's missions), ``applications``,
``hours`` (hours and their valuation). ``api.py`` adds the three."""
