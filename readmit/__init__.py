"""Readmit: case management and inter-state exchange for return and relocation agreements."""
