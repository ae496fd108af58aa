"""MASAN (Neurocomputing 2024) as read for Subspace: see docs/model.md."""
