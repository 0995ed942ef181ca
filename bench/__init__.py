"""Benchmarks: each module bench/<topic>.py has ``run(table: Table, args) -> None``."""
