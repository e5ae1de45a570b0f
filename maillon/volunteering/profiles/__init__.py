"""Volunteer profiles: what volunteers say about themselves (skills, causes, place,
availability) and their opt-ins (visible to associations, mission alerts)."""
