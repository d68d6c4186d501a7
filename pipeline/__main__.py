"""`python -m pipeline` runs the medloc command line."""

from pipeline.cli import main

raise SystemExit(main())
