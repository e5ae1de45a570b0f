"""Matching volunteers and missions: the pure engine, the missions suggested to a
volunteer, the volunteers suggested for a mission, invitations and mission alerts."""
