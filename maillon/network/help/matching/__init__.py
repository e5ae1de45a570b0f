"""Matching of help requests with helpers: skills volunteers, lent employees of
companies, the staff of the asking association's networks. The scoring is
volunteering's pure engine (``maillon.volunteering.matching.engine``); this package
turns requests and helpers into its facts (``adapter``) and reads the candidates
(``selectors``)."""
