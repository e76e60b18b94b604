"""The version of directlink-validator (a leaf module, so every part can name it)."""

__version__ = "0.1.0"
