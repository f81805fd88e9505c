from . import write

print(f"wrote {write()}")
