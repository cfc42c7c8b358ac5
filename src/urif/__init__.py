"""urif: open, auditable software that runs the US–Ukraine Reconstruction Investment Fund."""

__version__ = "0.1.0"
