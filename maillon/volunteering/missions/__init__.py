"""Volunteer missions: the association's back-office, the public pages and the public
search across the network."""
