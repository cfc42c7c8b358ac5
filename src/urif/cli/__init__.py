"""The ``urif`` command line: parse arguments, call one action, render, map errors to exit codes."""
