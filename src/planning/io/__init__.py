"""File formats of the planner: school lists in, plan files out."""
