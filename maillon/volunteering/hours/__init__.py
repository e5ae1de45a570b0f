"""Volunteer hours: logging and validation, the valuation of volunteer time and its
exports, the volunteer's certificate."""
