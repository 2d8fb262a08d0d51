"""Rules engine: load YAML rule packs, classify sections, run checks over a Report."""
