"""The figures of `mic-plot`, one module per subcommand; cli.py wires them to the command line."""
