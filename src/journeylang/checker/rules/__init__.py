"""The checker's rules, grouped by what they are about."""
