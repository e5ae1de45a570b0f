"""The engagement dashboard: from mission views to volunteers still active."""
