"""`python -m azure.cli ...`: what the `az` command runs."""
import sys

from azure.cli.main import main

sys.exit(main(sys.argv[1:]))
