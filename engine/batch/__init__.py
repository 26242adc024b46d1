"""Many dossiers on all cores: JSON lines in, verdicts out in the same order."""
from .runner import BatchSummary, WorkerError, default_jobs, run_batch

__all__ = ["BatchSummary", "WorkerError", "default_jobs", "run_batch"]
