"""The click commands, one module per command group; ``toolkit.cli`` registers them.
Each parses its options, calls one library function, prints and sets the exit code.

May import: any package of the library."""
