"""medloc: localize physician-reviewed health articles through gettext catalogs."""

__version__ = "0.1.0"
