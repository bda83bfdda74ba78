"""gostatic's built-in rules, one module per family, found through the `gostatic.rules` entry points."""
