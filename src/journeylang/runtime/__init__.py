"""The simulator's runtime: values, functions, time, the interpreter and the simulation."""
