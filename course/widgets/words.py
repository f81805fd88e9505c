"""Numbers in words: the summaries and titles say "1 step" and "2 steps", never "1 steps"."""


def count(n, noun, plural=None):
    """``n`` and ``noun`` in the right grammatical number: count(1, "step") is "1 step", count(2, "step") "2 steps".

    ``plural`` is for nouns that do not just take an "s" (count(2, "batch", "batches")).
    """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
