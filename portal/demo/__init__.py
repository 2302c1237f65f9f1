"""Demo data for newcomers and screenshots."""
