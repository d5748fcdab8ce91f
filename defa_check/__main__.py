"""`python -m defa_check` runs the command line."""

from defa_check.entry import main

main()
