"""The click commands, one module per command group; ``toolkit.cli`` registers them."""
