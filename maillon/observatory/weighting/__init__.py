"""Pure weighting engine of the observatory (contract: OBSERVATORY.md).

Raking (iterative proportional fitting) of a sample of associations on population
margins. No Django: ``python -m maillon.observatory.weighting`` runs it on CSV files.
"""

from .engine import RakingResult, WeightingInputError, rake
from .intervals import wilson_interval

__all__ = ["RakingResult", "WeightingInputError", "rake", "wilson_interval"]
